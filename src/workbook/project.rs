//! import (project): the YAML an import writes — a tree of maps, lists and scalars where
//! each fact carries the cell it came from as a comment (`# 公开02表!E12`) — and writing the
//! project's files, all or nothing, never over an existing file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use super::read::Place;
use crate::diag::Diagnostic;

/// What an import needs besides the workbook.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The 科目 names the import knows (the embedded catalog, `--catalog` files).
    pub catalogs: crate::catalog::Catalogs,
    /// Take the names of codes no catalog knows from the workbook (into `catalog:`)
    /// instead of refusing them.
    pub new_codes: bool,
    /// The year, when the workbook does not say it.
    pub year: Option<i32>,
    /// A region pack file whose tables the workbook holds (`--pack`); otherwise a shipped
    /// pack is recognised by its tables' titles.
    pub pack: Option<std::path::PathBuf>,
}

/// What an import produced: the project's files, what it noticed, and every cell it read.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// Relative path and text of each file, `budgetdoc.yaml` first.
    pub files: Vec<(String, String)>,
    pub warnings: crate::diag::Diagnostics,
    /// Every amount cell read: a fact, or a derived figure checked against the facts.
    pub located: Vec<Place>,
    /// How many facts were written.
    pub facts: usize,
}

/// The marker of a text the import could not know: `check` reports each one left.
pub const PLACEHOLDER: &str = "【待填写】";

/// A YAML node with comments.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Map(Vec<(String, Node)>),
    List(Vec<Node>),
    Scalar {
        text: String,
        comment: Option<String>,
    },
}

impl Node {
    pub fn map() -> Node {
        Node::Map(Vec::new())
    }

    /// An amount read from `place`, with at least two decimals.
    pub fn amount(value: Decimal, place: &Place) -> Node {
        Node::Scalar {
            text: amount_text(value),
            comment: Some(place.to_string()),
        }
    }

    /// A quoted string.
    pub fn text(value: &str) -> Node {
        Node::Scalar {
            text: quote(value),
            comment: None,
        }
    }

    /// A quoted string with the cell it came from.
    pub fn text_from(value: &str, place: &Place) -> Node {
        Node::Scalar {
            text: quote(value),
            comment: Some(place.to_string()),
        }
    }

    /// A plain scalar written as is (a number, a year).
    pub fn raw(value: impl Into<String>) -> Node {
        Node::Scalar {
            text: value.into(),
            comment: None,
        }
    }

    pub fn with_comment(self, note: &str) -> Node {
        match self {
            Node::Scalar { text, .. } => Node::Scalar {
                text,
                comment: Some(note.to_string()),
            },
            other => other,
        }
    }

    /// Sets `key` in a map (replacing an earlier value), creating the map's entry in order.
    pub fn set(&mut self, key: &str, value: Node) {
        if let Node::Map(entries) = self {
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some(e) => e.1 = value,
                None => entries.push((key.to_string(), value)),
            }
        }
    }

    /// The map at `key`, created empty when missing.
    pub fn child(&mut self, key: &str) -> &mut Node {
        if let Node::Map(entries) = self {
            let i = match entries.iter().position(|(k, _)| k == key) {
                Some(i) => i,
                None => {
                    entries.push((key.to_string(), Node::map()));
                    entries.len() - 1
                }
            };
            return &mut entries[i].1;
        }
        self
    }

    fn is_empty(&self) -> bool {
        match self {
            Node::Map(e) => e.iter().all(|(_, v)| v.is_empty()),
            Node::List(items) => items.is_empty(),
            Node::Scalar { .. } => false,
        }
    }

    /// The YAML text, block style, two spaces per level.
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        if let Node::Map(entries) = self {
            write_entries(&mut out, entries, 0, false);
        }
        out
    }
}

/// `1234.50`, `0.00`, `12.345` (never fewer than two decimals, never an exponent).
pub fn amount_text(value: Decimal) -> String {
    let v = value.normalize();
    if v.scale() < 2 {
        format!("{v:.2}")
    } else {
        v.to_string()
    }
}

/// A double-quoted YAML string.
pub fn quote(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('"');
    for c in value.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(s, "\\u{:04X}", u32::from(c));
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// Text read from a workbook (a sheet or file name, a cell's place) made safe for a YAML
/// comment: a line break or any other control character would end the comment and let the
/// rest of the text become YAML, so each is written as a visible `\u{…}` escape instead.
pub fn comment(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') {
            let _ = write!(s, "\\u{{{:04X}}}", u32::from(c));
        } else {
            s.push(c);
        }
    }
    s
}

/// The first line of an imported file: which budgetdoc read which workbook (its name made
/// safe by [`comment`]), then `more` (further comment lines, each starting `\n# `).
pub fn header(source: &str, more: &str) -> String {
    format!(
        "# Imported by budgetdoc {} from `{}`{more}",
        env!("CARGO_PKG_VERSION"),
        comment(source)
    )
}

fn key_text(key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
        && !key.chars().all(|c| c.is_ascii_digit());
    if plain { key.to_string() } else { quote(key) }
}

fn write_entries(out: &mut String, entries: &[(String, Node)], indent: usize, first_inline: bool) {
    let mut first = first_inline;
    for (k, v) in entries {
        if v.is_empty() {
            continue;
        }
        let pad = if first {
            String::new()
        } else {
            " ".repeat(indent)
        };
        first = false;
        match v {
            Node::Scalar { text, comment } => {
                let _ = write!(out, "{pad}{}: {text}", key_text(k));
                if let Some(c) = comment {
                    let _ = write!(out, "  # {}", self::comment(c));
                }
                out.push('\n');
            }
            Node::Map(children) => {
                let _ = writeln!(out, "{pad}{}:", key_text(k));
                write_entries(out, children, indent + 2, false);
            }
            Node::List(items) => {
                let _ = writeln!(out, "{pad}{}:", key_text(k));
                write_items(out, items, indent + 2);
            }
        }
    }
}

fn write_items(out: &mut String, items: &[Node], indent: usize) {
    let pad = " ".repeat(indent);
    for item in items {
        match item {
            Node::Scalar { text, comment } => {
                let _ = write!(out, "{pad}- {text}");
                if let Some(c) = comment {
                    let _ = write!(out, "  # {}", self::comment(c));
                }
                out.push('\n');
            }
            Node::Map(children) => {
                let _ = write!(out, "{pad}- ");
                write_entries(out, children, indent + 2, true);
            }
            Node::List(inner) => {
                let _ = writeln!(out, "{pad}-");
                write_items(out, inner, indent + 2);
            }
        }
    }
}

/// Writes `files` (relative path, text) into `dir`, creating it. Refuses before writing
/// anything when a file exists; on a failure part-way, removes what it wrote.
pub fn write_files(dir: &Path, files: &[(String, String)]) -> Result<Vec<PathBuf>, Diagnostic> {
    for (rel, _) in files {
        let path = dir.join(rel);
        if path.exists() || path.symlink_metadata().is_ok() {
            return Err(Diagnostic::error(format!(
                "`{}` already exists; nothing was written",
                path.display()
            ))
            .hint("import into a new or empty directory (-o DIR)"));
        }
    }
    let mut written: Vec<PathBuf> = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                use std::io::Write;
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)?;
                written.push(path.clone());
                f.write_all(text.as_bytes())
            });
        if let Err(e) = result {
            for p in written.iter().rev() {
                let _ = std::fs::remove_file(p);
            }
            return Err(Diagnostic::error(format!(
                "cannot write `{}`: {e}; nothing was kept",
                path.display()
            )));
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_carry_their_cell_and_codes_are_quoted() {
        let place = Place {
            sheet: "公开02表 收入决算表".into(),
            row: 11,
            col: 4,
        };
        let mut root = Node::map();
        root.set("kind", Node::raw("final-accounts"));
        let mut row = Node::map();
        row.set("code", Node::text("2080101"));
        row.child("income").set(
            "general_budget",
            Node::amount(Decimal::new(12345, 1), &place),
        );
        root.set("functional", Node::List(vec![row]));
        root.child("basic_by_economic")
            .set("30101", Node::amount(Decimal::new(5, 0), &place));
        root.set("empty", Node::map());
        let yaml = root.to_yaml();
        assert_eq!(
            yaml,
            "kind: final-accounts\nfunctional:\n  - code: \"2080101\"\n    income:\n      general_budget: 1234.50  # 公开02表 收入决算表!E12\nbasic_by_economic:\n  \"30101\": 5.00  # 公开02表 收入决算表!E12\n"
        );
        let back: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(back["functional"][0]["code"], "2080101");
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    }
}
