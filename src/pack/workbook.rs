//! export: a region pack's tables as workbook sheets, from the pack's view in `/data.json`
//! — each table's title (the sheet's name), 编制部门 and unit line, its header tree as merged
//! cells, its rows as printed and its notes. No arithmetic: amounts pass through as printed.

use serde_json::Value as Json;

use crate::workbook::{Cell, Sheet, Span, Value};

/// Every table of a pack's document, in document order.
pub fn sheets(data: &Json) -> Vec<Sheet> {
    let mut out = Vec::new();
    for part in data["parts"].as_array().into_iter().flatten() {
        section(part, &mut out);
    }
    out
}

fn section(s: &Json, out: &mut Vec<Sheet>) {
    for b in s["blocks"].as_array().into_iter().flatten() {
        if b["type"] == "table" {
            out.push(sheet(b));
        }
    }
    for c in s["sections"].as_array().into_iter().flatten() {
        section(c, out);
    }
}

fn text(v: &Json) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn sheet(t: &Json) -> Sheet {
    let title = text(&t["title"]);
    let aligns: Vec<String> = t["aligns"]
        .as_array()
        .into_iter()
        .flatten()
        .map(text)
        .collect();
    // The header cells on a grid: each row's cells fill the columns the rows above leave.
    let rows = t["header"].as_array().cloned().unwrap_or_default();
    let width = aligns.len();
    let mut taken = vec![vec![false; width]; rows.len()];
    let mut header = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut c = 0;
        for cell in row.as_array().into_iter().flatten() {
            while c < width && taken[r][c] {
                c += 1;
            }
            let cols = cell["colspan"].as_u64().unwrap_or(1) as usize;
            let span_rows = cell["rowspan"].as_u64().unwrap_or(1) as usize;
            for line in taken.iter_mut().skip(r).take(span_rows) {
                for slot in line.iter_mut().skip(c).take(cols) {
                    *slot = true;
                }
            }
            header.push(Span::new(
                r as u32,
                c as u16,
                span_rows as u32,
                cols as u16,
                text(&cell["text"]),
            ));
            c += cols;
        }
    }
    let body = t["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| {
            row["cells"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|cell| {
                    let s = text(&cell["text"]);
                    let value = if cell["align"] == "right" {
                        Value::amount(&s)
                    } else if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
                        Value::code(&s)
                    } else {
                        Value::label(&s)
                    };
                    Cell::spanning(value, cell["span"].as_u64().unwrap_or(1) as u16)
                })
                .collect()
        })
        .collect();
    let notes = t["notes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|runs| {
            runs.as_array()
                .into_iter()
                .flatten()
                .map(text)
                .collect::<String>()
        })
        .collect();
    Sheet {
        name: title.clone(),
        title,
        code: None,
        publisher: format!("编制部门：{}", text(&t["department"])),
        unit_line: format!("单位：{}", text(&t["unit"])),
        widths: aligns
            .iter()
            .map(|a| if a == "left" { 24 } else { 16 })
            .collect(),
        header_rows: rows.len() as u32,
        header,
        body,
        notes,
    }
}

// ---- import: a workbook of a pack's tables back into a project ----

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::Resolved;
use super::model::{Column, Table};
use crate::diag::{Diagnostic, Diagnostics};
use crate::workbook::locate::{self, Reading};
use crate::workbook::project::{ImportOptions, Imported, Node, PLACEHOLDER};
use crate::workbook::read::{Book, Grid, Place, normal};

/// The shipped pack of `kind` whose tables the workbook holds (by their titles), if any.
pub fn detect(book: &Book, kind: &str) -> Option<Resolved> {
    let year = locate::identity(book).year.map(|(y, _)| y);
    super::SHIPPED.iter().find_map(|s| {
        let file = crate::load::embedded(&super::shipped_path(s.name), s.yaml);
        let pack: super::model::Pack = serde_yaml::from_str(s.yaml).ok()?;
        if pack.kind != kind {
            return None;
        }
        let found = pack
            .tables
            .values()
            .any(|t| find_sheet(book, t, year).is_some());
        found.then_some(Resolved {
            pack,
            files: vec![file],
        })
    })
}

/// [`import`] with the pack file `path` named by the person running budgetdoc.
pub fn import_named(
    book: &Book,
    options: &ImportOptions,
    path: &std::path::Path,
    kind: &str,
    schema: &super::engine::Schema,
) -> Result<Imported, Diagnostics> {
    let here = std::path::Path::new(".");
    let confinement = crate::load::Confinement::new(here).map_err(|d| Diagnostics(vec![d]))?;
    let r = match super::resolve(here, None, None, Some(path), &confinement) {
        Ok(Some(r)) => r,
        Ok(None) => unreachable!("a named pack resolves to a pack or a problem"),
        Err(super::PackError::Files(d)) => return Err(d),
        Err(super::PackError::UnknownRegion(n)) => {
            return Err(Diagnostics(vec![
                Diagnostic::error(format!("no shipped region pack `{n}`"))
                    .hint(super::known_hint(&n)),
            ]));
        }
    };
    let problems = super::check(&r, kind, schema);
    if problems.has_errors() {
        return Err(problems);
    }
    import(book, options, &r)
}

/// The sheet of table `t`: titled as the pack titles it, in `year`.
fn find_sheet<'b>(book: &'b Book, t: &Table, year: Option<i32>) -> Option<&'b Grid> {
    let year = year?;
    let title = t
        .title
        .replace("{year}", &year.to_string())
        .replace("{prior_year}", &(year - 1).to_string());
    book.sheet(&[], &[&title])
}

/// The leaves of every side, in order, with the row source of each side.
fn columns(t: &Table) -> Vec<(Vec<&Column>, Vec<&super::model::RowGroup>)> {
    let sides: Vec<(&[Column], Vec<&super::model::RowGroup>)> = if t.sides.is_empty() {
        vec![(&t.columns, t.rows.iter().collect())]
    } else {
        t.sides
            .iter()
            .map(|s| {
                let mut rows: Vec<&super::model::RowGroup> = s.rows.iter().collect();
                rows.extend(s.footer.iter());
                (s.columns.as_slice(), rows)
            })
            .collect()
    };
    sides
        .into_iter()
        .map(|(cols, rows)| (super::engine::leaves(cols), rows))
        .collect()
}

/// A row's figures read: figure name → amount (in the project's unit) and its cell.
type Figures = BTreeMap<String, (Decimal, Place)>;

/// What a pack's tables hold: 项 (or 款) rows' figures by source, and fixed rows' figures.
#[derive(Default)]
struct Read {
    /// source → code → the row's figures.
    rows: BTreeMap<String, BTreeMap<String, Figures>>,
    /// figure name → amount (in the project's unit) and its cell.
    scalars: BTreeMap<String, (Decimal, Place)>,
}

/// A project from a workbook of `r`'s tables (`import`): every 项 figure the tables print
/// as a fact naming its cell; texts as placeholders.
pub fn import(book: &Book, options: &ImportOptions, r: &Resolved) -> Result<Imported, Diagnostics> {
    let mut reading = Reading::default();
    let mut errors = Diagnostics::default();
    let id = locate::identity(book);
    let mut root = Node::map();
    let year = locate::identity_lines(&mut root, &r.pack.kind, &id, options.year, &mut errors);
    let typed = id
        .unit
        .as_ref()
        .and_then(|(u, _)| crate::check::Unit::parse(u))
        .unwrap_or(crate::check::Unit::TenThousandYuan);
    let mut read = Read::default();
    let mut missing = Vec::new();
    for (tid, t) in &r.pack.tables {
        match find_sheet(book, t, Some(year)) {
            Some(grid) => read_table(grid, t, typed, &r.pack, &mut read, &mut reading),
            None => missing.push(tid.clone()),
        }
    }
    root.set("region", Node::text(&r.pack.name));
    if r.pack.requires.iter().any(|q| q.key == "locality") {
        root.set("locality", Node::text(&format!("{PLACEHOLDER}地区")));
    }
    root.set("overview", locate::placeholders(&[("duties", "主要职能")]));
    let mut facts = 0;
    let functional = read.rows.get("functional").cloned().unwrap_or_default();
    for (key, source) in [
        ("general_budget", "general"),
        ("government_fund", "fund"),
        ("state_capital", "state_capital"),
    ] {
        let mut items = Vec::new();
        for (code, figs) in &functional {
            let mut item = Node::map();
            let mut any = false;
            for part in ["basic", "project"] {
                if let Some((v, p)) = figs.get(&format!("{source}.{part}")) {
                    item.set(part, Node::amount(*v, p));
                    any = true;
                    facts += 1;
                }
            }
            if any {
                let mut line = Node::map();
                line.set("code", Node::text(code));
                if let Node::Map(e) = item {
                    for (k, v) in e {
                        line.set(&k, v);
                    }
                }
                items.push(line);
            }
        }
        root.set(key, Node::List(items));
    }
    // Income other than 财政拨款, by source; its 基本 part is the row's 基本支出 less the
    // 基本支出 of the 财政拨款 sources, which the tables state only for one source a row.
    let mut others = Vec::new();
    for (code, figs) in &functional {
        let sources: Vec<(&str, &(Decimal, Place))> = [
            ("business", "事业收入"),
            ("operating", "事业单位经营收入"),
            ("other", "其他收入"),
        ]
        .iter()
        .filter_map(|(k, word)| {
            figs.get(*k)
                .filter(|(v, _)| !v.is_zero())
                .map(|v| (*word, v))
        })
        .collect();
        if sources.is_empty() {
            continue;
        }
        let fiscal_basic: Decimal = ["general.basic", "fund.basic", "state_capital.basic"]
            .iter()
            .filter_map(|k| figs.get(*k).map(|(v, _)| *v))
            .sum();
        // A row printed with its 项目支出 and no 基本支出 has none.
        let basic = figs
            .get("basic")
            .map(|(v, _)| *v)
            .or_else(|| figs.get("project").map(|_| Decimal::ZERO));
        for (word, (v, place)) in &sources {
            let mut line = Node::map();
            line.set("code", Node::text(code));
            line.set("source", Node::raw(*word));
            match basic {
                Some(b) if sources.len() == 1 => {
                    let other_basic = b - fiscal_basic;
                    if !other_basic.is_zero() {
                        line.set("basic", Node::amount(other_basic, place));
                    }
                    if *v - other_basic != Decimal::ZERO {
                        line.set("project", Node::amount(*v - other_basic, place));
                    }
                }
                _ => {
                    line.set("project", Node::amount(*v, place));
                    reading.warnings.push(
                        Diagnostic::warning(format!(
                            "{place}: the tables do not split `{code}`'s {word} between 基本支出 and 项目支出; it was imported as 项目支出"
                        ))
                        .path(place.to_string())
                        .hint("move the part that is 基本支出 to `basic:` in the new project"),
                    );
                }
            }
            facts += 1;
            others.push(line);
        }
    }
    root.set("other_sources", Node::List(others));
    let mut economic = Node::map();
    for (code, figs) in read.rows.get("economic").into_iter().flatten() {
        for block in ["personnel", "public"] {
            if let Some((v, p)) = figs.get(block) {
                economic.child(block).set(code, Node::amount(*v, p));
                facts += 1;
            }
        }
    }
    root.set("basic_by_economic", economic);
    let mut tp = Node::map();
    for item in [
        "outbound",
        "vehicle_purchase",
        "vehicle_operation",
        "reception",
    ] {
        if let Some((v, p)) = read.scalars.get(&format!("three_public.{item}")) {
            tp.child("budget").set(item, Node::amount(*v, p));
            facts += 1;
        }
    }
    root.set("three_public", tp);
    if let Some((v, p)) = read.scalars.get("operating_costs") {
        root.child("operating_costs")
            .set("budget", Node::amount(*v, p));
        facts += 1;
    }
    if !missing.is_empty() {
        reading.warnings.push(
            Diagnostic::warning(format!(
                "the workbook has no sheet for the tables {} of the region pack `{}`; their facts were not imported",
                missing.join(", "),
                r.pack.name
            ))
            .hint("type those facts in the new project"),
        );
    }
    errors.extend(std::mem::take(&mut reading.errors));
    if errors.has_errors() {
        return Err(errors);
    }
    let source = book.file_name();
    let text = format!(
        "{}\n\n{}",
        crate::workbook::project::header(
            &source,
            &format!(
                ".\n# Region pack `{}`. Each fact names the cell it came from; texts marked {PLACEHOLDER} are yours to write.\n# The facts the tables do not hold (the prior year's 预算, units, uses, projects, …) are yours to type: `budgetdoc check` names each.",
                r.pack.name
            )
        ),
        root.to_yaml()
    );
    Ok(Imported {
        files: vec![(crate::load::PROJECT_FILE.to_string(), text)],
        warnings: reading.warnings,
        located: reading.located,
        facts,
    })
}

/// Reads one table's rows: a row source's 项/款 rows by their code, a fixed row by its label.
fn read_table(
    grid: &Grid,
    t: &Table,
    typed: crate::check::Unit,
    pack: &super::model::Pack,
    read: &mut Read,
    reading: &mut Reading,
) {
    let unit = t
        .unit
        .as_deref()
        .and_then(crate::check::Unit::parse)
        .or_else(|| crate::check::Unit::parse(&pack.numbers.tables.unit))
        .unwrap_or(typed);
    // The factor from the table's unit to the project's: the inverse of printing's divisor.
    let factor = typed.divisor_to(unit);
    let to_typed = |v: Decimal| v * factor;
    let sides = columns(t);
    let max_depth = if t.sides.is_empty() {
        super::engine::depth(&t.columns)
    } else {
        t.sides
            .iter()
            .map(|s| super::engine::depth(&s.columns))
            .max()
            .unwrap_or(0)
    };
    let first = sides
        .first()
        .and_then(|(cols, _)| cols.first())
        .map(|c| c.header.clone())
        .unwrap_or_default();
    let top_header = if t.sides.is_empty() {
        t.columns.first().map(|c| c.header.clone())
    } else {
        t.sides
            .first()
            .and_then(|s| s.columns.first())
            .map(|c| c.header.clone())
    }
    .unwrap_or(first);
    let (height, _) = grid.extent();
    let Some((top, _)) = grid.find(0..height.min(12), &[&top_header]) else {
        reading.warnings.push(
            Diagnostic::warning(format!(
                "sheet `{}` has no header `{top_header}`; its figures were not imported",
                grid.name
            ))
            .hint("keep the table's header as the pack lays it out"),
        );
        return;
    };
    let body = top + max_depth as u32;
    let mut offset = 0u32;
    for (cols, groups) in &sides {
        let source = groups.iter().find_map(|g| g.source.clone());
        let code_col = cols.iter().position(|c| c.field.as_deref() == Some("code"));
        let label_col = cols.iter().position(|c| c.field.is_some());
        let fixed: Vec<(String, &Vec<String>)> = groups
            .iter()
            .filter(|g| g.source.is_none())
            .map(|g| (normal(g.label.as_deref().unwrap_or_default()), &g.values))
            .collect();
        for r in body..height {
            if let (Some(src), Some(cc)) = (&source, code_col) {
                let code = grid.text(r, offset + cc as u32);
                let leaf = match src.as_str() {
                    "functional" => 7,
                    "economic" => 5,
                    _ => usize::MAX,
                };
                if code.len() == leaf && code.chars().all(|c| c.is_ascii_digit()) {
                    for (i, c) in cols.iter().enumerate() {
                        if let Some(f) = &c.figure
                            && let Some((v, p)) = reading.amount(grid, r, offset + i as u32)
                        {
                            read.rows
                                .entry(src.clone())
                                .or_default()
                                .entry(code.clone())
                                .or_default()
                                .insert(f.clone(), (to_typed(v), p));
                        }
                    }
                    continue;
                }
            }
            let Some(lc) = label_col else { continue };
            let label = normal(&grid.text(r, offset + lc as u32));
            // A table of one fixed row without a label (the 三公 table) reads its first row.
            let values = fixed
                .iter()
                .find(|(l, _)| *l == label && !l.is_empty())
                .map(|(_, v)| *v);
            if let Some(values) = values {
                read_fixed(grid, r, offset, cols, values, &to_typed, read, reading);
            }
        }
        if label_col.is_none()
            && let Some((_, values)) = fixed.first()
        {
            read_fixed(grid, body, offset, cols, values, &to_typed, read, reading);
        }
        offset += cols.len() as u32;
    }
}

#[allow(clippy::too_many_arguments)]
fn read_fixed(
    grid: &Grid,
    r: u32,
    offset: u32,
    cols: &[&Column],
    values: &[String],
    to_typed: &dyn Fn(Decimal) -> Decimal,
    read: &mut Read,
    reading: &mut Reading,
) {
    let mut names = values.iter();
    for (i, c) in cols.iter().enumerate() {
        if c.field.is_some() {
            continue;
        }
        let Some(name) = names.next() else { break };
        if name.is_empty() {
            continue;
        }
        if let Some((v, p)) = reading.amount(grid, r, offset + i as u32) {
            read.scalars.insert(name.clone(), (to_typed(v), p));
        }
    }
}
