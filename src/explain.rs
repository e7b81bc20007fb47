//! explain: where a printed figure comes from. A build's derivations are recorded
//! ([`crate::figures::provenance`]), every figure of the data is listed with its node
//! ([`crate::render::format::figures_of`]), and a query — a figure as printed (`182%`,
//! `467,782,266.28`), or the key path of a typed fact (`functional[3].general_budget.basic`)
//! — is answered with every place it is printed (data path, page and line) and its
//! derivation down to the typed facts, each with its `file:line:col`.
//!
//! Recording happens only here (and in the preview's figure panel): a plain build keeps
//! nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::diag::Diagnostics;
use crate::figures::provenance::{NodeId, Op, Recording, Trace};
use crate::load::SourceFile;
use crate::render::format::Printed;
use crate::{BuildOptions, money};

/// Every printed figure of a project with its derivation, and the text of each page.
pub struct Figures {
    pub printed: Vec<Printed>,
    pub trace: Trace,
    files: Vec<SourceFile>,
    /// The text of each page, one text run per line.
    pages: Vec<String>,
}

impl std::fmt::Debug for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Figures({} printed)", self.printed.len())
    }
}

/// Loads, validates and derives `project` while recording, lists its figures, and lays it
/// out for the pages (without writing anything).
pub fn figures(project: &Path, options: &BuildOptions) -> Result<Figures, Diagnostics> {
    let mut figures = record(project, &options.catalogs)?;
    let compiled = crate::compile_with(project, options)?;
    figures.pages = compiled
        .document
        .pages()
        .iter()
        .map(crate::render::page_text)
        .collect();
    Ok(figures)
}

/// Loads, validates and derives `project` while recording, and lists its figures; no
/// pages yet ([`Figures::with_pages`]): the preview has them already.
pub fn record(project: &Path, catalogs: &[PathBuf]) -> Result<Figures, Diagnostics> {
    let recording = Recording::start();
    let checked = crate::check_with(project, catalogs)?;
    let printed = checked.document.printed();
    let trace = recording.finish();
    Ok(Figures {
        printed,
        trace,
        files: checked.document.files().to_vec(),
        pages: Vec::new(),
    })
}

/// A typed fact: where it was typed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FactRef {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The key path in that file.
    pub path: String,
    /// Whether the file holds a value at exactly that path (always, unless the file
    /// changed since).
    pub exact: bool,
    /// The value read there.
    pub value: Decimal,
}

/// One step of a derivation.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// The value, as computed (unrounded rates keep up to 4 decimals, then `…`).
    pub value: String,
    /// The operation, in words.
    pub op: String,
    /// What the document calls it (完成年初预算, 总分), when the derivation names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fact: Option<FactRef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operands: Vec<Step>,
}

/// Where a figure is printed: a page (from 1) and the line of its text there.
#[derive(Debug, Clone, Serialize)]
pub struct Place {
    pub page: usize,
    pub line: String,
}

/// One figure matching a query.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    /// As printed.
    pub text: String,
    /// Where it sits in `/data.json` (a figure printed in several places has several).
    pub data_paths: Vec<String>,
    /// Pages and lines where its text is printed.
    pub places: Vec<Place>,
    /// How it was obtained; none for a figure with no recorded derivation.
    pub derivation: Option<Step>,
}

/// The answer to a query.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub query: String,
    pub matches: Vec<Match>,
    /// When nothing matched: the printed figures nearest in value.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nearest: Vec<String>,
}

/// The most steps a derivation shows (a sum over hundreds of rows is cut there).
const MAX_STEPS: usize = 2000;

impl Figures {
    /// The same figures with the text of the document's pages (for the places).
    pub fn with_pages(mut self, pages: Vec<String>) -> Self {
        self.pages = pages;
        self
    }

    /// Whether `file` is one of the files the facts were read from.
    pub fn read_file(&self, file: &Path) -> bool {
        self.files.iter().any(|f| f.path == file)
    }

    /// The answer to `query`: a figure as printed, or a typed fact's key path.
    pub fn explain(&self, query: &str) -> Explanation {
        let wanted = normalise(query);
        let mut by_node: BTreeMap<(NodeId, String), Vec<String>> = BTreeMap::new();
        for p in &self.printed {
            let hit = match &wanted {
                Some(n) => normalise(&p.text).as_ref() == Some(n),
                None => self.rests_on_fact(p.node, query.trim()),
            };
            if hit {
                by_node
                    .entry((p.node, p.text.clone()))
                    .or_default()
                    .push(p.path.clone());
            }
        }
        let matches: Vec<Match> = by_node
            .into_iter()
            .map(|((node, text), data_paths)| Match {
                places: self.places(&text),
                derivation: self.step(node, &mut 0),
                text,
                data_paths,
            })
            .collect();
        let nearest = if matches.is_empty() {
            self.nearest(query)
        } else {
            Vec::new()
        };
        Explanation {
            query: query.to_string(),
            matches,
            nearest,
        }
    }

    /// Whether the derivation of `node` uses the typed fact at `key_path`.
    fn rests_on_fact(&self, node: NodeId, key_path: &str) -> bool {
        self.trace.facts(node).into_iter().any(|f| {
            matches!(
                self.trace.node(f).map(|n| &n.op),
                Some(Op::Fact { path: Some(p), .. }) if p == key_path
            )
        })
    }

    /// The pages and lines where `text` is printed (as a whole number, not inside another).
    fn places(&self, text: &str) -> Vec<Place> {
        let mut out = Vec::new();
        for (i, page) in self.pages.iter().enumerate() {
            for line in page.lines() {
                if contains_figure(line, text) {
                    out.push(Place {
                        page: i + 1,
                        line: line.trim().to_string(),
                    });
                }
            }
        }
        out
    }

    /// The derivation of `node` as a tree of steps.
    fn step(&self, node: NodeId, shown: &mut usize) -> Option<Step> {
        let n = self.trace.node(node)?;
        *shown += 1;
        let fact = match &n.op {
            Op::Fact { file, path } => self.fact(*file, path.as_deref(), n.value),
            _ => None,
        };
        let operands = if *shown > MAX_STEPS {
            Vec::new()
        } else {
            n.operands
                .iter()
                .filter_map(|o| self.step(*o, shown))
                .collect()
        };
        Some(Step {
            value: value_text(n.value),
            op: op_text(&n.op, n.operands.len()),
            label: n.label.map(str::to_string),
            fact,
            operands,
        })
    }

    fn fact(&self, file: usize, path: Option<&str>, value: Decimal) -> Option<FactRef> {
        let file_path = self.trace.files.get(file)?;
        let path = path?;
        let source = self.files.iter().find(|f| &f.path == file_path)?;
        let (line, column) = source.positions.value(path).unwrap_or((1, 1));
        Some(FactRef {
            file: file_path.clone(),
            line,
            column,
            path: path.to_string(),
            exact: source.positions.has(path),
            value,
        })
    }

    /// Up to five printed figures nearest in value to `query`.
    fn nearest(&self, query: &str) -> Vec<String> {
        let Some(q) = normalise(query).and_then(|n| n.parse::<Decimal>().ok()) else {
            return Vec::new();
        };
        let mut all: Vec<(Decimal, &str)> = self
            .printed
            .iter()
            .filter_map(|p| {
                let v = normalise(&p.text)?.parse::<Decimal>().ok()?;
                Some(((v - q).abs(), p.text.as_str()))
            })
            .collect();
        all.sort();
        all.dedup_by(|a, b| a.1 == b.1);
        all.into_iter()
            .take(5)
            .map(|(_, t)| t.to_string())
            .collect()
    }

    /// Every printed figure with the typed facts its derivation rests on (`None` for a
    /// figure without a recorded derivation), for checking them all.
    pub fn facts_of_every_figure(&self) -> Vec<(&Printed, Option<Vec<FactRef>>)> {
        self.printed
            .iter()
            .map(|p| {
                let facts = self.trace.node(p.node).map(|_| {
                    self.trace
                        .facts(p.node)
                        .into_iter()
                        .filter_map(|f| {
                            let n = self.trace.node(f)?;
                            match &n.op {
                                Op::Fact { file, path } => {
                                    self.fact(*file, path.as_deref(), n.value)
                                }
                                _ => None,
                            }
                        })
                        .collect()
                });
                (p, facts)
            })
            .collect()
    }
}

/// A figure as a plain number (`1,234.50` → `1234.5`, `182%` → `182`); `None` for a query
/// that is not a number (a key path).
fn normalise(text: &str) -> Option<String> {
    let t: String = text
        .trim()
        .trim_end_matches('%')
        .trim_end_matches("万元")
        .trim_end_matches('元')
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    let d: Decimal = t.trim().parse().ok()?;
    Some(d.normalize().to_string())
}

/// Whether `line` prints `text` as a number of its own (not part of a longer number).
fn contains_figure(line: &str, text: &str) -> bool {
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',');
    let mut from = 0;
    while let Some(i) = line[from..].find(text) {
        let at = from + i;
        let before = line[..at].chars().next_back();
        let after = line[at + text.len()..].chars().next();
        if !digit(before) && !digit(after) {
            return true;
        }
        from = at + text.len().max(1);
    }
    false
}

/// A computed value for reading: whole or up to 4 decimals, then `…`, with separators.
fn value_text(v: Decimal) -> String {
    if v.normalize().scale() > 4 {
        format!("{}…", money::group(&money::fixed(v.trunc_with_scale(4), 4)))
    } else {
        money::group(&v.to_string())
    }
}

fn op_text(op: &Op, operands: usize) -> String {
    match op {
        Op::Fact { .. } => "typed".into(),
        Op::Constant("") => "constant".into(),
        Op::Constant(m) => format!("constant: {m}"),
        Op::Sum => format!("sum of {operands}"),
        Op::Difference => "difference (a − b)".into(),
        Op::Product => "product (a × b)".into(),
        Op::Quotient => "quotient (a ÷ b)".into(),
        Op::Percent => "percent (a ÷ b × 100)".into(),
        Op::Growth => "growth ((a − b) ÷ b × 100)".into(),
        Op::Min => "the smaller".into(),
        Op::Abs => "without its sign".into(),
        Op::Round { dp } => format!("rounded half-up to {dp} decimal(s)"),
        Op::Mean => format!("mean of {operands}"),
        Op::NoRate => "no rate: the base is 0".into(),
        Op::Empty => "nothing typed (counts as 0)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_and_places_match_whole_numbers() {
        assert_eq!(normalise("182%").as_deref(), Some("182"));
        assert_eq!(normalise("467,782,266.28").as_deref(), Some("467782266.28"));
        assert_eq!(normalise("94.10").as_deref(), Some("94.1"));
        assert_eq!(normalise("functional[3].general_budget.basic"), None);
        assert!(contains_figure("完成年初预算的182%。", "182"));
        assert!(!contains_figure("1,182.00", "182"));
        assert!(!contains_figure("182.5", "182"));
        assert!(contains_figure("合计 1,234.50 99", "1,234.50"));
    }

    #[test]
    fn values_read_as_numbers() {
        assert_eq!(value_text(Decimal::new(18155271, 5)), "181.5527…");
        assert_eq!(value_text(Decimal::new(41814421993, 2)), "418,144,219.93");
        assert_eq!(value_text(Decimal::new(100, 0)), "100");
        assert_eq!(value_text(Decimal::new(1711659160, 2)), "17,116,591.60");
    }
}
