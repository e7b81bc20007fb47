//! Printing what a verb found: the diagnostics in the chosen format (human on stderr, the
//! others on stdout) and the one-line summary.

use std::io::Write;

use budgetdoc::diag::Diagnostics;

use super::{OutputFormat, ReportArgs};

/// Prints the diagnostics in the chosen format.
pub fn diagnostics(diags: &Diagnostics, report: &ReportArgs) {
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
