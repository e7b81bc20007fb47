//! Printing what a verb found: the diagnostics in the chosen format (human on stderr, the
//! others on stdout) and the one-line summary.

use std::io::Write;

use budgetdoc::diag::Diagnostics;

use super::{OutputFormat, ReportArgs};

fn format(report: &ReportArgs) -> budgetdoc::report::Format {
    use budgetdoc::report::Format;
    match report.format {
        OutputFormat::Human => Format::Human,
        OutputFormat::Short => Format::Short,
        OutputFormat::Json => Format::Json,
        OutputFormat::Github => Format::Github,
        OutputFormat::Gitlab => Format::Gitlab,
    }
}

/// Prints the diagnostics in the chosen format.
pub fn diagnostics(diags: &Diagnostics, report: &ReportArgs) {
    use budgetdoc::report::{Format, render};
    use std::io::IsTerminal;
    let format = format(report);
    if format == Format::Human {
        let color = match super::COLOR
            .get()
            .copied()
            .unwrap_or(super::ColorChoice::Auto)
        {
            super::ColorChoice::Always => true,
            super::ColorChoice::Never => false,
            super::ColorChoice::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        let _ = std::io::stderr()
            .lock()
            .write_all(render(diags, format, color).as_bytes());
    } else {
        let _ = std::io::stdout()
            .lock()
            .write_all(render(diags, format, false).as_bytes());
    }
}

/// Appends the run's Markdown to `$GITHUB_STEP_SUMMARY` when it is set.
pub fn step_summary(verb: &str, results: &[budgetdoc::report::ProjectResult]) {
    if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") {
        let text = budgetdoc::report::step_summary(verb, results);
        let appended = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = appended {
            eprintln!("budgetdoc: could not write $GITHUB_STEP_SUMMARY: {e}");
        }
    }
}

/// The reports of a run of several projects: diagnostics printed as each project is
/// reported (GitHub annotations within GitHub's limits for the whole run), or kept for the
/// one document `json` and `gitlab` write at the end; and the step summary.
pub struct Reporter<'a> {
    report: &'a ReportArgs,
    verb: &'static str,
    github: budgetdoc::report::GithubBudget,
    results: Vec<budgetdoc::report::ProjectResult>,
}

impl<'a> Reporter<'a> {
    pub fn new(report: &'a ReportArgs, verb: &'static str) -> Self {
        Self {
            report,
            verb,
            github: budgetdoc::report::GithubBudget::default(),
            results: Vec::new(),
        }
    }

    /// One project's outcome: its diagnostics are printed now (or kept), its line is the
    /// caller's.
    pub fn project(
        &mut self,
        project: &std::path::Path,
        status: &str,
        output: Option<&std::path::Path>,
        diags: Diagnostics,
    ) {
        match self.report.format {
            OutputFormat::Json | OutputFormat::Gitlab => {}
            OutputFormat::Github => {
                let _ = std::io::stdout()
                    .lock()
                    .write_all(self.github.render(&diags).as_bytes());
            }
            _ => diagnostics(&diags, self.report),
        }
        self.results.push(budgetdoc::report::ProjectResult {
            project: project.display().to_string(),
            status: status.to_string(),
            output: output.map(|o| o.display().to_string()),
            diagnostics: diags,
        });
    }

    /// The end of the run: the one JSON or GitLab document, GitHub's notice of what was not
    /// annotated, the step summary.
    pub fn finish(&self) {
        let mut out = std::io::stdout().lock();
        match self.report.format {
            OutputFormat::Json => {
                let _ = out.write_all(budgetdoc::report::json_projects(&self.results).as_bytes());
            }
            OutputFormat::Gitlab => {
                let all = Diagnostics(
                    self.results
                        .iter()
                        .flat_map(|r| r.diagnostics.iter().cloned())
                        .collect(),
                );
                let _ = out.write_all(budgetdoc::report::gitlab(&all).as_bytes());
            }
            OutputFormat::Github => {
                if let Some(notice) = self.github.finish() {
                    let _ = writeln!(out, "{notice}");
                }
            }
            _ => {}
        }
        step_summary(self.verb, &self.results);
    }
}

/// `2 error(s), 1 warning(s)`, and `, 1 accepted` when the project accepted exceptions.
pub fn summary(diags: &Diagnostics) -> String {
    let accepted = match diags.notes() {
        0 => String::new(),
        n => format!(", {n} accepted"),
    };
    format!(
        "{} error(s), {} warning(s){accepted}",
        diags.errors(),
        diags.warnings()
    )
}

/// Warnings count as errors under `--deny-warnings`, accepted exceptions under
/// `--deny-accepted`.
pub fn failed(diags: &Diagnostics, report: &ReportArgs) -> bool {
    diags.has_errors()
        || (report.deny_warnings && diags.warnings() > 0)
        || (report.deny_accepted && diags.notes() > 0)
}

/// What `--deny-warnings` / `--deny-accepted` refused.
pub fn denied(report: &ReportArgs) -> &'static str {
    match (report.deny_warnings, report.deny_accepted) {
        (true, true) => "warnings and accepted exceptions are denied",
        (false, true) => "accepted exceptions are denied (--deny-accepted)",
        _ => "warnings are denied",
    }
}
