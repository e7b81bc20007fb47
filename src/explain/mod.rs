//! explain: where a printed figure comes from. A build's derivations are recorded
//! ([`crate::figures::provenance`]), every figure of the data is listed with its node
//! ([`crate::render::format::figures_of`]), and a query — a figure as printed (`182%`,
//! `467,782,266.28`), or the key path of a typed fact (`functional[3].general_budget.basic`)
//! — is answered with every place it is printed (data path, page and line) and its
//! derivation down to the typed facts, each with its `file:line:col`.
//!
//! Recording happens only here (and in the preview's figure panel): a plain build keeps
//! nothing.

pub mod names;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::diag::Diagnostics;
use crate::figures::provenance::{NodeId, Op, Recording, Trace};
use crate::load::SourceFile;
use crate::render::format::Printed;
use crate::render::{FigureBox, PageLine, PageRun};
use crate::{BuildOptions, money};

/// Every printed figure of a project with its derivation, and the text of each page.
pub struct Figures {
    pub printed: Vec<Printed>,
    pub trace: Trace,
    /// `/data.json`, for the rows of a table query.
    data: serde_json::Value,
    files: Vec<SourceFile>,
    /// Each page of the marked layout: its printed number, lines and figure boxes.
    pages: Vec<PageText>,
    /// Names facts and table cells as a clerk does.
    namer: names::Namer,
}

/// A page of the marked layout: the page number it prints (its footer's), if any, its lines
/// and the boxes of the figures on it.
#[derive(Debug, Clone, Default)]
pub struct PageText {
    pub label: Option<String>,
    pub lines: Vec<PageLine>,
    pub boxes: Vec<FigureBox>,
    /// Every text run, for a table cell's column header.
    pub runs: Vec<PageRun>,
    /// The rules of its tables, for a table cell's column and header cells.
    pub rules: crate::render::Rules,
}

impl PageText {
    /// The printed number, lines and figure boxes of a page of the marked layout
    /// ([`crate::compile_marked`]).
    pub fn of(page: &typst_layout::Page) -> Self {
        Self {
            label: crate::render::page_label(page),
            lines: crate::render::page_lines(page),
            boxes: crate::render::figure_boxes(page),
            runs: crate::render::page_runs(page),
            rules: crate::render::table_rules(page),
        }
    }

    /// The header of the column a figure's box sits in ([`crate::render::column_header`]).
    fn header_of(&self, b: &FigureBox) -> Option<String> {
        let figures: Vec<crate::render::Rect> = self.boxes.iter().map(|f| f.rect).collect();
        crate::render::column_header(&self.runs, &self.rules, &figures, &b.rect)
    }

    /// The line a box sits on (the one holding its middle).
    fn line_of(&self, b: &FigureBox) -> String {
        let (x, y) = b.rect.centre();
        self.lines
            .iter()
            .find(|l| l.rect.contains(x, y))
            .map(|l| l.text.trim().to_string())
            .unwrap_or_default()
    }
}

impl std::fmt::Debug for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Figures({} printed)", self.printed.len())
    }
}

/// Loads, validates and derives `project` while recording, lists its figures, and lays it
/// out (marked, [`crate::compile_marked`]) for where each is printed; writes nothing.
pub fn figures(project: &Path, options: &BuildOptions) -> Result<Figures, Diagnostics> {
    let mut figures = record(project, &options.catalogs)?;
    let compiled = crate::compile_marked(project, options)?;
    figures.pages = compiled.document.pages().iter().map(PageText::of).collect();
    Ok(figures)
}

/// Loads, validates and derives `project` while recording, and lists its figures; no
/// pages yet ([`Figures::with_pages`]): the preview has them already.
pub fn record(project: &Path, catalogs: &[PathBuf]) -> Result<Figures, Diagnostics> {
    let recording = Recording::start();
    let checked = crate::check_with(project, catalogs)?;
    let printed = checked.document.printed();
    let trace = recording.finish();
    let data = checked.document.data();
    let files = checked.document.files().to_vec();
    Ok(Figures {
        printed,
        trace,
        namer: names::Namer::new(&files, &data),
        data,
        files,
        pages: Vec::new(),
    })
}

/// A typed fact: where it was typed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FactRef {
    /// What a clerk calls it: the 科目 or project and the column
    /// (`2080101 行政运行 · 收入 · 一般公共预算财政拨款`).
    pub name: String,
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

/// Where a figure is printed: a page (physical, from 1), the number that page prints (its
/// footer's, e.g. "18"; none on a page that prints no number), the line of text there and
/// the figure's box on the page (points from its top left, as `pdftotext -bbox`).
#[derive(Debug, Clone, Serialize)]
pub struct Place {
    pub page: usize,
    pub page_label: Option<String>,
    pub line: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// A point on a page (`--at PAGE:X:Y`): the physical page from 1, and points from its top
/// left corner.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub page: usize,
    pub x: f64,
    pub y: f64,
}

impl std::str::FromStr for Point {
    type Err = String;
    /// `PAGE:X:Y`, e.g. `18:402.5:233`.
    fn from_str(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.split(':').collect();
        let [page, x, y] = parts[..] else {
            return Err(format!("`{s}` is not PAGE:X:Y (e.g. `18:402.5:233`)"));
        };
        let page: usize = page
            .trim()
            .parse()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| format!("`{page}` is not a page number (1 is the first page)"))?;
        let coord = |c: &str| {
            c.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("`{c}` is not a number of points"))
        };
        Ok(Point {
            page,
            x: coord(x)?,
            y: coord(y)?,
        })
    }
}

/// Why nothing is explained at a point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Miss {
    /// The document has fewer pages.
    NoPage { pages: usize },
    /// Something is printed there, but not a figure (a table's code or number, a year, a
    /// page footer, a heading): the text of the line there.
    NotAFigure { line: String },
    /// Nothing is printed there.
    Blank,
}

/// One figure matching a query.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    /// As printed.
    pub text: String,
    /// In a table: the table, the row's code and name and the column
    /// (`收入决算表 · 2080101 行政运行 · 财政拨款收入`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
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
    pub fn with_pages(mut self, pages: Vec<PageText>) -> Self {
        self.pages = pages;
        self
    }

    /// The pages of the marked layout (empty until [`Figures::with_pages`] or
    /// [`figures`]).
    pub fn pages(&self) -> &[PageText] {
        &self.pages
    }

    /// `/data.json` as the templates read it (plain: no marks).
    pub fn data(&self) -> &serde_json::Value {
        &self.data
    }

    /// Whether `file` is one of the files the facts were read from.
    pub fn read_file(&self, file: &Path) -> bool {
        self.files.iter().any(|f| f.path == file)
    }

    /// The answer to `query`: a figure as printed, a table cell (`公开02表 2080101 3`: the
    /// table, the row's code or name, the column's number among its amounts; without the
    /// column, the whole row), or a typed fact's key path.
    pub fn explain(&self, query: &str) -> Explanation {
        let wanted = normalise(query);
        let cells = if wanted.is_none() {
            self.table_cells(query)
        } else {
            None
        };
        // One figure printed in several places (the same quantity, rounded alike) is one
        // match with one derivation.
        let mut by_node: BTreeMap<(NodeId, String), (NodeId, Vec<String>)> = BTreeMap::new();
        for p in &self.printed {
            let hit = match (&wanted, &cells) {
                (Some(n), _) => normalise(&p.text).as_ref() == Some(n),
                (None, Some(prefixes)) => prefixes.iter().any(|c| p.path.starts_with(c.as_str())),
                (None, None) => self.rests_on_fact(p.node, query.trim()),
            };
            if hit {
                by_node
                    .entry((self.identity(p.node), p.text.clone()))
                    .or_insert_with(|| (p.node, Vec::new()))
                    .1
                    .push(p.path.clone());
            }
        }
        let matches: Vec<Match> = by_node
            .into_iter()
            .map(|((_, text), (node, data_paths))| Match {
                name: data_paths.iter().find_map(|p| self.cell_name(p)),
                places: self.places(&data_paths),
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

    /// The figure printed at `at`: the one whose box holds the point. The same lookup serves
    /// `explain --at` and the preview's click.
    pub fn explain_at(&self, at: Point) -> Result<Explanation, Miss> {
        let page = self.pages.get(at.page - 1).ok_or(Miss::NoPage {
            pages: self.pages.len(),
        })?;
        let Some(hit) = page.boxes.iter().find(|b| b.rect.contains(at.x, at.y)) else {
            return Err(page
                .lines
                .iter()
                .find(|l| l.rect.contains(at.x, at.y))
                .map(|l| Miss::NotAFigure {
                    line: l.text.trim().to_string(),
                })
                .unwrap_or(Miss::Blank));
        };
        let query = format!("{}:{}:{}", at.page, at.x, at.y);
        let Some(printed) = self.printed.iter().find(|p| p.path == hit.id) else {
            return Err(Miss::Blank);
        };
        let data_paths = vec![printed.path.clone()];
        Ok(Explanation {
            query,
            matches: vec![Match {
                name: self.cell_name(&printed.path),
                text: printed.text.clone(),
                places: self.places(&data_paths),
                derivation: self.step(printed.node, &mut 0),
                data_paths,
            }],
            nearest: Vec::new(),
        })
    }

    /// The data paths of the cells a table query names (`公开02表 2080101 3`, `表二 行政运行`,
    /// `02表 合计 1`); `None` when the query names no table.
    fn table_cells(&self, query: &str) -> Option<Vec<String>> {
        let mut words = query.split_whitespace();
        let table = words.next().filter(|w| w.contains('表'))?;
        let number = table_number(table)?;
        let key = [format!("t{number:02}"), format!("t{number}")]
            .into_iter()
            .find(|k| self.data.get(k).is_some())?;
        let row = words.next()?;
        let column = words.next().and_then(|c| c.parse::<usize>().ok());
        let t = &self.data[&key];
        // Every row with that code or name (a 部门预算 repeats its codes under each unit).
        let bases: Vec<String> = if row == "合计" || row == "总计" {
            vec![format!("{key}.total")]
        } else {
            t.get("rows")?
                .as_array()?
                .iter()
                .enumerate()
                .filter(|(_, r)| {
                    r.get("code").and_then(|c| c.as_str()) == Some(row)
                        || r.get("name").and_then(|n| n.as_str()).map(str::trim) == Some(row)
                })
                .map(|(i, _)| format!("{key}.rows[{i}].cells"))
                .collect()
        };
        Some(
            bases
                .into_iter()
                .map(|base| match column {
                    Some(c) if c >= 1 => format!("{base}[{}]", c - 1),
                    _ => format!("{base}["),
                })
                .collect(),
        )
    }

    /// A table cell's name: its table, row and column header as printed above its first
    /// place (the 栏次 number where nothing is printed above it).
    fn cell_name(&self, path: &str) -> Option<String> {
        let header = self.pages.iter().find_map(|page| {
            let b = page.boxes.iter().find(|b| b.id == path)?;
            page.header_of(b)
        });
        self.namer.cell(&self.data, path, header.as_deref())
    }

    /// The quantity a printed figure states: its node beneath the rounding (two roundings
    /// of one rate to the same decimals are one figure).
    fn identity(&self, mut node: NodeId) -> NodeId {
        while let Some(n) = self.trace.node(node) {
            match (&n.op, n.operands.as_slice()) {
                (Op::Round { .. } | Op::Abs, [inner]) => node = *inner,
                _ => break,
            }
        }
        node
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

    /// Where the figures at `data_paths` are printed: the boxes of the marked layout that
    /// carry their ids, page by page.
    fn places(&self, data_paths: &[String]) -> Vec<Place> {
        let mut out = Vec::new();
        for (i, page) in self.pages.iter().enumerate() {
            for b in page.boxes.iter().filter(|b| data_paths.contains(&b.id)) {
                out.push(Place {
                    page: i + 1,
                    page_label: page.label.clone(),
                    line: page.line_of(b),
                    x: hundredths(b.rect.x),
                    y: hundredths(b.rect.y),
                    width: hundredths(b.rect.width),
                    height: hundredths(b.rect.height),
                });
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
            name: self.namer.fact(file_path, path),
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

/// A length in points to the hundredth (a place's box, as a person reads it).
fn hundredths(v: f64) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    Decimal::from_f64_retain(v)
        .map(|d| money::round_half_up(d, 2))
        .and_then(|d| d.to_f64())
        .unwrap_or(v)
}

/// A table's number in a query: `公开02表`, `02表`, `表二`, `表10`.
fn table_number(word: &str) -> Option<u32> {
    let digits: String = word.chars().filter(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        return digits.parse().ok();
    }
    const NUMERALS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let mut n = 0;
    let mut any = false;
    for c in word.chars() {
        if c == '十' {
            n = if any { n * 10 } else { 10 };
            any = true;
        } else if let Some(d) = NUMERALS.iter().position(|x| *x == c) {
            n = if n >= 10 && n % 10 == 0 {
                n + d as u32
            } else {
                n * 10 + d as u32
            };
            any = true;
        }
    }
    any.then_some(n)
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
        Op::NoneListed(why) => format!("0: {why}"),
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
    }

    #[test]
    fn points_read_as_page_x_y() {
        assert_eq!(
            "18:402.5:233".parse::<Point>(),
            Ok(Point {
                page: 18,
                x: 402.5,
                y: 233.0
            })
        );
        assert!("0:1:1".parse::<Point>().is_err());
        assert!("3:1".parse::<Point>().is_err());
        assert!("3:x:1".parse::<Point>().is_err());
        assert!("3:NaN:1".parse::<Point>().is_err());
    }

    #[test]
    fn table_numbers_in_either_script() {
        assert_eq!(table_number("公开02表"), Some(2));
        assert_eq!(table_number("表二"), Some(2));
        assert_eq!(table_number("表十"), Some(10));
        assert_eq!(table_number("表十二"), Some(12));
        assert_eq!(table_number("表"), None);
    }

    #[test]
    fn values_read_as_numbers() {
        assert_eq!(value_text(Decimal::new(18155271, 5)), "181.5527…");
        assert_eq!(value_text(Decimal::new(41814421993, 2)), "418,144,219.93");
        assert_eq!(value_text(Decimal::new(100, 0)), "100");
        assert_eq!(value_text(Decimal::new(1711659160, 2)), "17,116,591.60");
    }
}
