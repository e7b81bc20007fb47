//! validate: placeholders that would be published. Texts an import left for the user to
//! write (R06): `budgetdoc import` fills every text a workbook cannot give — duties, goals,
//! indicators — with a marked placeholder; each one still in a YAML file is reported where
//! it is. And `{name}` placeholders of configurable words that nothing filled (R07): the
//! printed text is searched for them, so none is published.

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

/// Every `{name}` placeholder left in the printed text (`data`, the view as the templates
/// read it): no value filled it, so the document would print the braces (R07, an error).
/// Each is located where a project file types it, when one does (a word of the profile
/// the project overrides), else reported without a place (an embedded word).
pub fn leftovers(data: &serde_json::Value, files: &[SourceFile]) -> Diagnostics {
    let mut found: Vec<(String, String)> = Vec::new();
    collect(data, &mut found);
    let mut out = Diagnostics::default();
    let mut seen = std::collections::BTreeSet::new();
    for (token, path) in found {
        if !seen.insert(token.clone()) {
            continue;
        }
        out.push(
            Diagnostic::error(format!(
                "`{token}` would be printed as it is (in the printed text at `{path}`): nothing fills this placeholder there"
            ))
            .rule(&rules::R07)
            .at(typed_at(files, &token))
            .hint("a word may hold `{department}`, `{year}` and `{prior}`, and the placeholders its own entry in docs/profiles-and-packs.md lists (a table's `{title}`, `{ordinal}`, `{unit}`); write the text out, or use one of those"),
        );
    }
    out
}

/// The strings of `v` holding a `{name}` token: (the token, where it sits).
fn collect(v: &serde_json::Value, out: &mut Vec<(String, String)>) {
    for (path, leaf) in crate::render::format::leaves_of(v) {
        let serde_json::Value::String(s) = leaf else {
            continue;
        };
        let own = filled_where_used(&path);
        for token in tokens(s).into_iter().filter(|t| !own.contains(&t.as_str())) {
            out.push((token, path.clone()));
        }
    }
}

/// The words the view keeps as patterns, filled where each is used (a table's heading per
/// table), with the placeholders filled there: in the words map they are not printed text.
const PATTERNS: [(&str, &[&str]); 4] = [
    ("table_heading", &["{ordinal}", "{title}"]),
    ("table_code", &["{id}"]),
    ("part_header", &["{part}"]),
    ("unit_line", &["{unit}"]),
];

/// The placeholders a pattern at `path` keeps for where it is used (none elsewhere).
fn filled_where_used(path: &str) -> &'static [&'static str] {
    if !path.starts_with("words.") {
        return &[];
    }
    let key = path.rsplit('.').next().unwrap_or("");
    PATTERNS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(&[], |(_, own)| own)
}

/// The `{name}` tokens of `text` (an ASCII identifier in braces).
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        if !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && after[name_len..].starts_with('}')
        {
            out.push(format!("{{{name}}}"));
        }
        rest = after;
    }
    out
}

/// Where a project file types `token` (outside a comment), if one does.
fn typed_at(files: &[SourceFile], token: &str) -> Option<Location> {
    files.iter().find_map(|file| {
        file.text.lines().enumerate().find_map(|(i, line)| {
            let at = line.find(token)?;
            (!line[..at].contains('#')).then(|| Location {
                file: file.path.clone(),
                line: i + 1,
                col: line[..at].chars().count() + 1,
            })
        })
    })
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

#[cfg(test)]
mod leftover_tests {
    use super::*;

    #[test]
    fn braces_around_a_name_are_leftovers_and_other_braces_are_not() {
        assert_eq!(
            tokens("单位：{unit}，{1} {} {a b} {x_1}"),
            ["{unit}", "{x_1}"]
        );
        let data = serde_json::json!({"tables": [{"title": "{year}年收支表"}], "n": "{}"});
        let found = leftovers(&data, &[]);
        assert_eq!(found.0.len(), 1);
        assert!(
            found.0[0].message.contains("`{year}`")
                && found.0[0].message.contains("tables[0].title")
        );
    }
}
