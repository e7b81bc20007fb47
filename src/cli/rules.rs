//! `budgetdoc rules`: the rule catalog, one line per rule: ID, severity, statement, how it is
//! enforced, and whether a project may accept a breach (`accept:`).

use std::io::Write;
use std::process::ExitCode;

use budgetdoc::rules::{Enforcement, RULES};

pub fn run() -> ExitCode {
    let mut out = std::io::stdout().lock();
    for r in RULES {
        let severity = r.severity.word();
        let how = match r.enforcement {
            Enforcement::Checked if r.acceptable() => "checked; may be accepted".to_string(),
            Enforcement::Checked => "checked; cannot be accepted".to_string(),
            Enforcement::ByConstruction(why) => format!("by construction: {why}"),
        };
        let _ = writeln!(out, "{}\t{severity}\t{}\t[{how}]", r.id, r.statement);
    }
    ExitCode::SUCCESS
}
