//! `budgetdoc rules`: the rule catalog, one line per rule: ID, severity, statement, how it is
//! enforced.

use std::io::Write;
use std::process::ExitCode;

use budgetdoc::rules::{Enforcement, RULES, Severity};

pub fn run() -> ExitCode {
    let mut out = std::io::stdout().lock();
    for r in RULES {
        let severity = match r.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let how = match r.enforcement {
            Enforcement::Checked => "checked".to_string(),
            Enforcement::ByConstruction(why) => format!("by construction: {why}"),
        };
        let _ = writeln!(out, "{}\t{severity}\t{}\t[{how}]", r.id, r.statement);
    }
    ExitCode::SUCCESS
}
