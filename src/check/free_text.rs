//! validate (after derive): numbers typed into free text (R02). An amount (元/万元) or a
//! percentage inside a 主要原因 that matches none of the document's printed figures — the
//! one list of figures ([`crate::render::printed_figures`], the list `explain` reads) — is how published narratives
//! come to contradict their tables; each is reported at the number itself inside the text.

use std::collections::BTreeSet;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::load::SourceFile;
use crate::rules;

/// Numbers in `text`: (char index, normalised number, the unit that follows: 元, 万元, %).
pub fn numbers(text: &str) -> Vec<(usize, String, &'static str)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_ascii_digit() || chars[i - 1] == '.'))
        {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let raw: String = chars[start..i].iter().collect();
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            let rest: String = chars[j..chars.len().min(j + 2)].iter().collect();
            let unit = if rest.starts_with("万元") {
                "万元"
            } else if rest.starts_with('元') {
                "元"
            } else if rest.starts_with('%') {
                "%"
            } else {
                ""
            };
            out.push((start, normalise(raw.trim_end_matches('.')), unit));
        } else {
            i += 1;
        }
    }
    out
}

fn normalise(n: &str) -> String {
    if n.contains('.') {
        n.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        n.to_string()
    }
}

/// The position of character `index` of the scalar at (`line`, `col`) in `file`.
fn position_in(file: &SourceFile, line: usize, col: usize, value: &str, index: usize) -> Location {
    let lines: Vec<&str> = file.text.lines().collect();
    let first = lines.get(line.saturating_sub(1)).copied().unwrap_or("");
    let opening = first.chars().nth(col.saturating_sub(1));
    let before: String = value.chars().take(index).collect();
    match opening {
        Some('|') | Some('>') => {
            // Block scalar: its lines follow, each indented alike.
            let nl = before.matches('\n').count();
            let target = line + 1 + nl;
            let text_line = lines.get(target - 1).copied().unwrap_or("");
            let indent = text_line.chars().take_while(|c| *c == ' ').count();
            let in_line = before
                .rsplit('\n')
                .next()
                .map(|s| s.chars().count())
                .unwrap_or(0);
            Location {
                file: file.path.clone(),
                line: target,
                col: indent + in_line + 1,
            }
        }
        Some('"') | Some('\'') => Location {
            file: file.path.clone(),
            line,
            col: col + 1 + before.chars().count(),
        },
        _ => Location {
            file: file.path.clone(),
            line,
            col: col + before.chars().count(),
        },
    }
}

/// R02 over every text under `reasons` of the main file.
pub fn check(file: &SourceFile, figures: &BTreeSet<String>) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let Ok(root) = serde_yaml::from_str::<serde_yaml::Value>(&file.text) else {
        return diags;
    };
    let Some(reasons) = root.get("reasons") else {
        return diags;
    };
    let mut texts: Vec<(String, String)> = Vec::new();
    fn collect(v: &serde_yaml::Value, path: String, out: &mut Vec<(String, String)>) {
        match v {
            serde_yaml::Value::String(s) => out.push((path, s.clone())),
            serde_yaml::Value::Mapping(m) => {
                for (k, v) in m {
                    let key = match k {
                        serde_yaml::Value::String(s) => s.clone(),
                        serde_yaml::Value::Number(n) => n.to_string(),
                        _ => continue,
                    };
                    collect(v, format!("{path}.{key}"), out);
                }
            }
            _ => {}
        }
    }
    collect(reasons, "reasons".into(), &mut texts);
    for (path, text) in texts {
        let Some((line, col)) = file.positions.value(&path) else {
            continue;
        };
        for (index, number, unit) in numbers(&text) {
            if unit.is_empty() || figures.contains(&number) {
                continue;
            }
            let at = position_in(file, line, col, &text, index);
            diags.push(
                Diagnostic::warning(format!(
                    "`{number}{unit}` in this text matches no figure of the document"
                ))
                .rule(&rules::R02)
                .at(Some(at))
                .path(path.clone())
                .hint("a figure quoted in a reason should be one the tables or sentences print; if it is a detail (a part of a sum), ignore this warning"),
            );
        }
    }
    diags
}

/// R05: a count of projects typed into a text (`N个项目`) at `path` agrees with the count the
/// data gives (`count`, described by `what`).
pub fn check_project_count(file: &SourceFile, path: &str, count: usize, what: &str) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let Ok(root) = serde_yaml::from_str::<serde_yaml::Value>(&file.text) else {
        return diags;
    };
    let text = path
        .split('.')
        .try_fold(&root, |v, key| v.get(key))
        .and_then(serde_yaml::Value::as_str);
    let (Some(text), Some((line, col))) = (text, file.positions.value(path)) else {
        return diags;
    };
    for (index, number, _) in numbers(text) {
        let after: String = text
            .chars()
            .skip(index + number.chars().count())
            .take(4)
            .collect();
        if !after.trim_start().starts_with("个项目") || number == count.to_string() {
            continue;
        }
        diags.push(
            Diagnostic::warning(format!(
                "this text counts {number} projects, but {what} gives {count}"
            ))
            .rule(&rules::R05)
            .at(Some(position_in(file, line, col, text, index)))
            .path(path)
            .hint("budgetdoc states the count from the data right after this text; make the two agree, or leave the count out of the text"),
        );
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_units() {
        let n = numbers("慰问金 20 万元未列入，维修 49.14万元，增长 7.00%，共 3 人");
        let got: Vec<(String, &str)> = n.into_iter().map(|(_, n, u)| (n, u)).collect();
        assert_eq!(
            got,
            [
                ("20".to_string(), "万元"),
                ("49.14".to_string(), "万元"),
                ("7".to_string(), "%"),
                ("3".to_string(), "")
            ]
        );
    }
}
