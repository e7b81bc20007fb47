//! validate: texts an import left for the user to write (R06). `budgetdoc import` fills
//! every text a workbook cannot give — duties, goals, indicators — with a marked
//! placeholder; each one still in a YAML file is reported where it is, so that none is
//! published.

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::load::SourceFile;
use crate::rules;
use crate::workbook::project::PLACEHOLDER;

/// Every placeholder in the values of `files` (not in comments).
pub fn check(files: &[SourceFile]) -> Diagnostics {
    let mut out = Diagnostics::default();
    for file in files {
        for (i, line) in file.text.lines().enumerate() {
            let Some(at) = line.find(PLACEHOLDER) else {
                continue;
            };
            if line[..at].contains('#') {
                continue;
            }
            out.push(
                Diagnostic::warning(format!(
                    "{PLACEHOLDER} is still here: a text the import could not know"
                ))
                .rule(&rules::R06)
                .at(Some(Location {
                    file: file.path.clone(),
                    line: i + 1,
                    col: line[..at].chars().count() + 1,
                }))
                .hint("write the text the document publishes in its place"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_values_are_found_and_comments_ignored() {
        let file = SourceFile {
            path: "p/budgetdoc.yaml".into(),
            text: format!(
                "# texts marked {PLACEHOLDER} are yours\nduties:\n  - \"{PLACEHOLDER}部门职责\"\n"
            ),
            positions: Default::default(),
        };
        let found = check(&[file]);
        assert_eq!(found.0.len(), 1);
        let at = found.0[0].location.as_ref().unwrap();
        assert_eq!((at.line, at.col), (3, 6));
        assert_eq!(found.0[0].rule.map(|r| r.id), Some("R06"));
    }
}
