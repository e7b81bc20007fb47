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

/// `2 error(s), 1 warning(s)`.
pub fn summary(diags: &Diagnostics) -> String {
    format!(
        "{} error(s), {} warning(s)",
        diags.errors(),
        diags.warnings()
    )
}

/// Warnings count as errors under `--deny-warnings`.
pub fn failed(diags: &Diagnostics, report: &ReportArgs) -> bool {
    diags.has_errors() || (report.deny_warnings && diags.warnings() > 0)
}
