//! load: the mistakes a Chinese input method makes in YAML, found on the raw text before
//! the YAML parser (which would report them a line late, or as "found character that
//! cannot start any token"): a full-width colon after a key (全角冒号), a tab (制表符) or a
//! full-width space (全角空格) in the indentation. Each is named at its own line and column
//! with the fix. Block scalars (`|`, `>`) are text and are left alone.

use std::path::Path;

use crate::diag::{Diagnostic, Location};
use crate::rules;

/// The keyboard mistakes of a YAML text, in order.
pub fn problems(path: &Path, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The indentation of the block scalar being read, if any: its lines are text.
    let mut block: Option<usize> = None;
    let mut opens_block = false;
    for (i, line) in text.lines().enumerate() {
        let at = |col: usize| {
            Some(Location {
                file: path.to_path_buf(),
                line: i + 1,
                col,
            })
        };
        let lead: String = line
            .chars()
            .take_while(|c| matches!(c, ' ' | '\t' | '\u{3000}'))
            .collect();
        let indent = lead.chars().count();
        let blank = line.trim_matches([' ', '\t', '\u{3000}']).is_empty();
        if opens_block && !blank {
            block = Some(indent);
            opens_block = false;
        }
        if let Some(b) = block {
            if blank || indent >= b {
                continue;
            }
            block = None;
        }
        if blank {
            continue;
        }
        if let Some(pos) = lead.chars().position(|c| c == '\t') {
            out.push(
                Diagnostic::error("a tab in the indentation (制表符缩进): YAML indents with spaces only")
                    .rule(&rules::L01)
                    .at(at(pos + 1))
                    .hint("replace the tab with spaces, two per level; most editors have a setting to insert spaces for the Tab key"),
            );
            continue;
        }
        if let Some(pos) = lead.chars().position(|c| c == '\u{3000}') {
            out.push(
                Diagnostic::error("a full-width space (全角空格 `　`) in the indentation: YAML indents with ASCII spaces only")
                    .rule(&rules::L01)
                    .at(at(pos + 1))
                    .hint("replace it with ASCII spaces (switch the input method to half-width, 半角)"),
            );
            continue;
        }
        let rest: Vec<char> = line.chars().skip(indent).collect();
        let mut start = 0;
        while rest.get(start) == Some(&'-') && rest.get(start + 1) == Some(&' ') {
            start += 2;
            while rest.get(start) == Some(&' ') {
                start += 1;
            }
        }
        if let Some((key, colon)) = key_with_full_width_colon(&rest[start..]) {
            out.push(
                Diagnostic::error(format!(
                    "a full-width colon (全角冒号 `：`) after the key `{key}`: YAML reads the line as text, not as `{key}` and its value"
                ))
                .rule(&rules::L01)
                .at(at(indent + start + colon + 1))
                .hint(format!(
                    "type an ASCII colon and a space: `{key}: …` (switch the input method to English punctuation, 英文标点)"
                )),
            );
            continue;
        }
        let content = line.split(" #").next().unwrap_or(line).trim_end();
        let comment = content.trim_start().starts_with('#');
        let indicator = content.ends_with(['|', '>'])
            || ["|-", "|+", ">-", ">+"]
                .iter()
                .any(|m| content.ends_with(m));
        if !comment && indicator {
            opens_block = true;
        }
    }
    out
}

/// A key (ASCII word, a quoted key or a code) followed by `：` at the start of `s`: the key
/// and the colon's index.
fn key_with_full_width_colon(s: &[char]) -> Option<(String, usize)> {
    let (key, end) = match s.first()? {
        q @ ('"' | '\'') => {
            let close = s[1..].iter().position(|c| c == q)? + 1;
            (s[1..close].iter().collect::<String>(), close + 1)
        }
        c if c.is_ascii_alphanumeric() || *c == '_' => {
            let end = s
                .iter()
                .position(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
                .unwrap_or(s.len());
            (s[..end].iter().collect::<String>(), end)
        }
        _ => return None,
    };
    (s.get(end) == Some(&'：')).then_some((key, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(usize, usize, String)> {
        problems(Path::new("p.yaml"), text)
            .into_iter()
            .map(|d| {
                let l = d.location.clone().unwrap();
                (l.line, l.col, d.message)
            })
            .collect()
    }

    #[test]
    fn each_mistake_is_named_where_it_is() {
        let f = found("kind: budget\ndepartment：某局\nunits:\n  - name：某局\n\t- x\n　year: 1\n");
        assert_eq!(f.len(), 4, "{f:?}");
        assert_eq!((f[0].0, f[0].1), (2, 11));
        assert!(f[0].2.contains("全角冒号") && f[0].2.contains("`department`"));
        assert_eq!((f[1].0, f[1].1), (4, 9));
        assert_eq!((f[2].0, f[2].1), (5, 1));
        assert!(f[2].2.contains("制表符"));
        assert_eq!((f[3].0, f[3].1), (6, 1));
        assert!(f[3].2.contains("全角空格"));
    }

    #[test]
    fn texts_may_hold_full_width_colons_and_tabs() {
        let text = "reason: 其中：人员经费\nduties:\n  - 主要职能：负责\nnote: |\n  说明：\tA\n\t缩进的正文\nyear: 2024\n";
        // The block scalar's lines are text; a line indented less (the tab at column 1)
        // ends it and is YAML again.
        let f = found(text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            f[0].0, 6,
            "the tab at column 1 ends the block scalar: {f:?}"
        );
        assert!(found("a: |\n  x：y\n  key：v\nb: 1\n").is_empty());
        // A comment that ends like a block scalar's indicator opens none.
        let f = found("# 收入 > 支出 |\n\tyear: 1\n");
        assert_eq!(f.len(), 1, "{f:?}");
    }
}
