//! import (tables): the shapes the official tables share, found in a sheet by their words —
//! a 类/款/项 table (科目编码 rows under a header of amount columns) and a labelled line whose
//! amount sits to its right under a 决算数/金额 header — and the check of the rows the tool
//! derives (合计, 类, 款) against the sum of the imported 项. Reading only; the sums here are
//! comparisons of what the workbook says, not figures of the document.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::project::{Node, PLACEHOLDER};
use super::read::{Grid, Place, normal};
use crate::diag::{Diagnostic, Diagnostics};

/// How far down headers are looked for.
const HEADER_ROWS: u32 = 24;

/// One amount column of a table: its header text (alternatives), and the sub-header under
/// it when the column is one of several under a shared header.
#[derive(Debug, Clone)]
pub struct Column {
    pub label: Vec<&'static str>,
    pub sub: Option<Vec<&'static str>>,
}

impl Column {
    pub fn one(label: &[&'static str]) -> Self {
        Self {
            label: label.to_vec(),
            sub: None,
        }
    }
    pub fn under(label: &[&'static str], sub: &[&'static str]) -> Self {
        Self {
            label: label.to_vec(),
            sub: Some(sub.to_vec()),
        }
    }
}

/// A 类/款/项 table found in a sheet.
#[derive(Debug, Clone)]
pub struct Hierarchy {
    /// The column of each requested amount column, `None` where the sheet has none.
    pub columns: Vec<Option<u32>>,
    /// Rows with a 科目 code, in sheet order.
    pub rows: Vec<CodedRow>,
    /// The 合计 row, if any.
    pub total: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct CodedRow {
    pub row: u32,
    pub code: String,
    /// The name printed beside the code, and where.
    pub name: String,
    pub name_place: Place,
    pub code_place: Place,
}

/// The first header cell (rows above `below`) with one of `texts`, and the columns it spans.
fn header(
    grid: &Grid,
    texts: &[&str],
    cols: Option<(u32, u32)>,
    from: u32,
) -> Option<(u32, u32, u32, u32)> {
    let wanted: Vec<String> = texts.iter().map(|t| normal(t)).collect();
    let (height, width) = grid.extent();
    for r in from..height.min(HEADER_ROWS) {
        for c in 0..width {
            if let Some((lo, hi)) = cols
                && (c < lo || c > hi)
            {
                continue;
            }
            let t = normal(&grid.text(r, c));
            if !t.is_empty() && wanted.contains(&t) {
                let reg = grid.region(r, c);
                return Some((r, c, reg.end.0, reg.end.1));
            }
        }
    }
    None
}

/// Whether row `r` is a 栏次 numbering row (1, 2, 3 … in order) over `cols`.
pub fn is_numbering(grid: &Grid, r: u32, cols: impl Iterator<Item = u32>) -> bool {
    let mut expect: Option<u64> = None;
    let mut seen = 0;
    for c in cols {
        let t = grid.text(r, c);
        if t.is_empty() {
            continue;
        }
        let Ok(n) = t.parse::<u64>() else {
            return false;
        };
        if let Some(e) = expect
            && n != e
        {
            return false;
        }
        expect = Some(n + 1);
        seen += 1;
    }
    seen >= 2
}

/// A 科目 code of 3, 5 or 7 digits from the code cells of a row (one merged cell, or 类,
/// 款 and 项 in separate cells).
fn code_in(grid: &Grid, r: u32, lo: u32, hi: u32) -> Option<(String, u32)> {
    let mut code = String::new();
    let mut first = None;
    for c in lo..=hi {
        let t = grid.text(r, c);
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if !t.chars().all(|ch| ch.is_ascii_digit()) {
            return None;
        }
        first.get_or_insert(c);
        code.push_str(t);
    }
    matches!(code.len(), 3 | 5 | 7).then_some((code, first.unwrap_or(lo)))
}

/// Each column's place in the header, and the header's last row.
pub fn find_columns(grid: &Grid, columns: &[Column]) -> (Vec<Option<u32>>, u32) {
    let mut bottom = 0;
    let mut found = Vec::new();
    for col in columns {
        let hit = header(grid, &col.label, None, 0).and_then(|(r, c0, r1, c1)| match &col.sub {
            None => Some((r1, c0)),
            // A header without its breakdown (事业收入 alone, no 小计/其中 below) is the
            // 小计 column itself.
            Some(sub) => header(grid, sub, Some((c0, c1)), r + 1)
                .map(|(_, c, r1, _)| (r1, c))
                .or_else(|| (c0 == c1 && sub.contains(&"小计")).then_some((r1, c0))),
        });
        if let Some((r1, _)) = hit {
            bottom = bottom.max(r1);
        }
        found.push(hit.map(|(_, c)| c));
    }
    (found, bottom)
}

/// The first row below `bottom` that holds a number and is not a 栏次 numbering row.
pub fn first_data_row(grid: &Grid, bottom: u32) -> Option<u32> {
    let (height, width) = grid.extent();
    (bottom + 1..height).find(|&r| {
        !is_numbering(grid, r, 0..width)
            && (0..width).any(|c| grid.amount(r, c).is_ok_and(|v| v.is_some()))
    })
}

/// Finds a 类/款/项 table: the 科目编码 header, the 科目名称 column, each amount column by its
/// header words, and every coded row below. `None` when the sheet has no 科目编码 header.
pub fn hierarchy(grid: &Grid, columns: &[Column]) -> Option<Hierarchy> {
    let (hr, lo, _, hi) = header(
        grid,
        &[
            "功能分类科目编码",
            "支出功能分类科目编码",
            "科目编码",
            "功能分类科目",
            "编码",
        ],
        None,
        0,
    )?;
    let name_col = header(grid, &["科目名称"], None, hr).map_or(hi + 1, |(_, c, _, _)| c);
    let (found, bottom) = find_columns(grid, columns);
    let bottom = bottom.max(hr);
    let (height, width) = grid.extent();
    let mut rows = Vec::new();
    let mut total = None;
    for r in bottom + 1..height {
        if is_numbering(grid, r, 0..width) {
            continue;
        }
        if let Some((code, at)) = code_in(grid, r, lo, hi.max(lo)) {
            rows.push(CodedRow {
                row: r,
                name: grid.text(r, name_col),
                name_place: grid.place(r, name_col),
                code_place: grid.place(r, at),
                code,
            });
        } else if total.is_none()
            && (lo..=name_col).any(|c| matches!(normal(&grid.text(r, c)).as_str(), "合计" | "总计"))
        {
            total = Some(r);
        }
    }
    Some(Hierarchy {
        columns: found,
        rows,
        total,
    })
}

/// The amount column for a label at (`row`, `col`): the first column to its right whose
/// header says one of `prefer` (决算数, 金额; or, failing that, any column that is not 行次),
/// up to the next panel's 项目 column. A column's header is its last words above the first
/// row that holds a number.
pub fn amount_right_of(grid: &Grid, row: u32, col: u32, prefer: &[&str]) -> Option<u32> {
    let (_, width) = grid.extent();
    let top = grid.first_number_row().min(row);
    let start = grid.region(row, col).end.1 + 1;
    let mut fallback = None;
    for c in start..width {
        let head = (0..top)
            .rev()
            .map(|r| normal(&grid.text(r, c)))
            .find(|t| !t.is_empty() && t.parse::<u64>().is_err())
            .unwrap_or_default();
        if head.contains("项目") {
            break;
        }
        if head == "行次" || head == "栏次" {
            continue;
        }
        if prefer.iter().any(|p| head.contains(p)) {
            return Some(c);
        }
        fallback.get_or_insert(c);
    }
    fallback
}

/// The first cell (at or after row `from`) whose text, without a leading ordinal such as
/// 一、 or （一）, is one of `labels`.
pub fn label(grid: &Grid, labels: &[&str], from: u32) -> Option<(u32, u32)> {
    let wanted: Vec<String> = labels.iter().map(|t| normal(t)).collect();
    let (height, width) = grid.extent();
    (from..height)
        .flat_map(|r| (0..width).map(move |c| (r, c)))
        .find(|&(r, c)| {
            let t = normal(&grid.text(r, c));
            !t.is_empty() && (wanted.contains(&t) || wanted.contains(&without_ordinal(&t)))
        })
}

/// `一、一般公共预算财政拨款收入` → `一般公共预算财政拨款收入`; `（一）…` likewise.
pub fn without_ordinal(text: &str) -> String {
    let ordinals = "一二三四五六七八九十";
    if let Some(i) = text.find('、') {
        let head = &text[..i];
        if !head.is_empty()
            && head
                .chars()
                .all(|c| ordinals.contains(c) || c.is_ascii_digit())
        {
            return text[i + '、'.len_utf8()..].to_string();
        }
    }
    if let Some(rest) = text.strip_prefix('(')
        && let Some(i) = rest.find(')')
        && rest[..i].chars().all(|c| ordinals.contains(c))
    {
        return rest[i + 1..].to_string();
    }
    text.to_string()
}

/// A code's printed name, the name's cell and the code's cell.
pub type Named = (String, Place, Place);

/// An amount a cell states, with the cell.
pub type Stated = Option<(Decimal, Place)>;

/// Reads amounts and remembers every cell read, collecting the errors.
#[derive(Debug, Default)]
pub struct Reading {
    pub errors: Diagnostics,
    pub warnings: Diagnostics,
    pub located: Vec<Place>,
}

impl Reading {
    /// The amount at a cell (`None`: empty or not applicable); an unreadable cell is an
    /// error collected here.
    pub fn amount(&mut self, grid: &Grid, row: u32, col: u32) -> Option<(Decimal, Place)> {
        match grid.amount(row, col) {
            Ok(Some(v)) => {
                let place = grid.place(row, col);
                self.located.push(place.clone());
                Some((v, place))
            }
            Ok(None) => None,
            Err(d) => {
                self.errors.push(d);
                None
            }
        }
    }

    /// Compares a derived figure the workbook states with the sum budgetdoc will derive.
    pub fn check(&mut self, stated: Option<(Decimal, Place)>, derived: Decimal, what: &str) {
        if let Some((v, place)) = stated
            && v != derived
        {
            self.warnings.push(
                Diagnostic::warning(format!(
                    "{place}: {what} is {v} in the workbook, but its parts add up to {derived}"
                ))
                .path(place.to_string())
                .hint("budgetdoc derives this figure from the parts it imported; check the parts, or the workbook's total"),
            );
        }
    }
}

/// The amounts of every coded row of a hierarchy, by column; and the check of 合计, 类 and 款
/// rows (and of `sum_of` columns within each row) against the 项 rows.
pub struct Amounts {
    /// 项 code → the amount (with its cell) of each column.
    pub items: BTreeMap<String, Vec<Option<(Decimal, Place)>>>,
    /// 项 code → its name, where the name is and where the code is.
    pub names: BTreeMap<String, Named>,
    /// The same for the codes of 类 and 款 rows (for names the catalog lacks).
    pub heads: BTreeMap<String, Named>,
}

/// Reads a hierarchy's amounts. `derived[i]` marks a column the tool derives (a total of
/// other columns): never a fact, checked against the sum of `parts_of[i]`.
pub fn read_hierarchy(
    grid: &Grid,
    table: &Hierarchy,
    derived: &[Option<&[usize]>],
    reading: &mut Reading,
) -> Amounts {
    let mut items = BTreeMap::new();
    let mut names = BTreeMap::new();
    let mut heads = BTreeMap::new();
    let mut stated_heads: Vec<(String, Vec<Stated>)> = Vec::new();
    let read_row = |reading: &mut Reading, r: u32| -> Vec<Option<(Decimal, Place)>> {
        table
            .columns
            .iter()
            .map(|c| c.and_then(|c| reading.amount(grid, r, c)))
            .collect()
    };
    for row in &table.rows {
        let cells = read_row(reading, row.row);
        if row.code.len() == 7 {
            names.insert(
                row.code.clone(),
                (
                    row.name.clone(),
                    row.name_place.clone(),
                    row.code_place.clone(),
                ),
            );
            items.insert(row.code.clone(), cells);
        } else {
            heads.insert(
                row.code.clone(),
                (
                    row.name.clone(),
                    row.name_place.clone(),
                    row.code_place.clone(),
                ),
            );
            stated_heads.push((row.code.clone(), cells));
        }
    }
    let sum_over = |prefix: &str, i: usize| -> Decimal {
        items
            .iter()
            .filter(|(code, _)| code.starts_with(prefix))
            .map(|(_, cells): (&String, &Vec<Option<(Decimal, Place)>>)| {
                cell_value(cells, i, derived)
            })
            .sum()
    };
    // A derived column with no parts (08表's 年末结转和结余) is read but not compared.
    let checkable = |i: usize| {
        derived
            .get(i)
            .copied()
            .flatten()
            .is_none_or(|p| !p.is_empty())
    };
    for (code, cells) in stated_heads {
        for (i, cell) in cells.into_iter().enumerate() {
            if checkable(i) {
                reading.check(cell, sum_over(&code, i), &format!("the row of {code}"));
            }
        }
    }
    if let Some(r) = table.total {
        let cells = read_row(reading, r);
        for (i, cell) in cells.into_iter().enumerate() {
            if checkable(i) {
                reading.check(cell, sum_over("", i), "合计");
            }
        }
    }
    for (code, cells) in &items {
        for (i, d) in derived.iter().enumerate() {
            if d.is_some() && checkable(i) {
                let stated = cells.get(i).cloned().flatten();
                reading.check(
                    stated,
                    cell_value(cells, i, derived),
                    &format!("the total of {code}"),
                );
            }
        }
    }
    Amounts {
        items,
        names,
        heads,
    }
}

/// The value of column `i` of an item row as budgetdoc derives it: a typed column as read,
/// a derived column as the sum of its parts.
fn cell_value(
    cells: &[Option<(Decimal, Place)>],
    i: usize,
    derived: &[Option<&[usize]>],
) -> Decimal {
    match derived.get(i).copied().flatten() {
        Some(parts) => parts.iter().map(|&p| cell_value(cells, p, derived)).sum(),
        None => cells
            .get(i)
            .and_then(|c| c.as_ref())
            .map_or(Decimal::ZERO, |(v, _)| *v),
    }
}

/// One block of a “三公” table (a year's 预算数, 执行数 or 决算数 under the header cell that
/// spans rows `..=below` and columns `lo..=hi`): the four items as typed facts, its 合计 and
/// 公务用车 小计 checked against them. `None` when the block has no data row.
pub fn three_public_block(
    grid: &Grid,
    below: u32,
    lo: u32,
    hi: u32,
    reading: &mut Reading,
) -> Option<(Node, usize)> {
    let (height, _) = grid.extent();
    let find_col = |labels: &[&str]| -> Option<(u32, u32)> {
        let wanted: Vec<String> = labels.iter().map(|l| normal(l)).collect();
        (below + 1..height.min(HEADER_ROWS))
            .flat_map(|r| (lo..=hi).map(move |c| (r, c)))
            .find(|&(r, c)| wanted.contains(&normal(&grid.text(r, c))))
            .map(|(r, c)| (grid.region(r, c).end.0, c))
    };
    let cols: Vec<Option<(u32, u32)>> = [
        &["合计"][..],
        &["因公出国（境）费"],
        &["小计", "公务用车购置及运行费"],
        &["公务用车购置费", "购置费"],
        &["公务用车运行维护费", "公务用车运行费", "运行费"],
        &["公务接待费"],
    ]
    .iter()
    .map(|l| find_col(l))
    .collect();
    let bottom = cols
        .iter()
        .flatten()
        .map(|(r, _)| *r)
        .max()
        .unwrap_or(below);
    let data = (bottom + 1..height).find(|&r| {
        !is_numbering(grid, r, lo..=hi) && (lo..=hi).any(|c| !grid.text(r, c).is_empty())
    })?;
    let value =
        |reading: &mut Reading, i: usize| cols[i].and_then(|(_, c)| reading.amount(grid, data, c));
    let mut node = Node::map();
    let (mut sum, mut vehicles, mut facts) = (Decimal::ZERO, Decimal::ZERO, 0);
    for (i, field) in [
        (1, "outbound"),
        (3, "vehicle_purchase"),
        (4, "vehicle_operation"),
        (5, "reception"),
    ] {
        if let Some((v, place)) = value(reading, i) {
            node.set(field, Node::amount(v, &place));
            sum += v;
            if i == 3 || i == 4 {
                vehicles += v;
            }
            facts += 1;
        }
    }
    let stated = value(reading, 0);
    reading.check(stated, sum, "“三公”经费合计");
    let stated = value(reading, 2);
    reading.check(stated, vehicles, "公务用车购置及运行费小计");
    Some((node, facts))
}

/// The name a workbook prints for a 功能分类 code, against the catalogs: the same name adds
/// nothing; another name goes to the project's `catalog:`; a code no catalog knows is an
/// error at its cell, or (`--new-codes`) takes the printed name with a warning.
pub fn catalog_name(
    named: (&str, &str, &Place, &Place),
    catalogs: &crate::catalog::Catalogs,
    new_codes: bool,
    catalog: &mut Node,
    reading: &mut Reading,
) {
    let (code, name, place, code_place) = named;
    match catalogs.functional(code).map(|(n, _)| n) {
        Some(n) if normal(&n) == normal(name) || name.is_empty() => {}
        Some(_) => catalog.set(code, Node::text_from(name, place)),
        None if new_codes && !name.is_empty() => {
            catalog.set(code, Node::text_from(name, place));
            reading.warnings.push(
                Diagnostic::warning(format!(
                    "{place}: code {code} is in no catalog; its name `{name}` is taken from the workbook"
                ))
                .path(place.to_string()),
            );
        }
        None => reading.errors.push(
            Diagnostic::error(format!("{code_place}: 科目 code {code} is in no catalog"))
                .path(code_place.to_string())
                .hint("name the region's codes with --catalog FILE, or pass --new-codes to take the workbook's names into the project's `catalog:`"),
        ),
    }
}

/// A list of one marked placeholder per text the workbook cannot give (`key`: what to write).
pub fn placeholders(texts: &[(&str, &str)]) -> Node {
    Node::Map(
        texts
            .iter()
            .map(|(key, what)| {
                (
                    key.to_string(),
                    Node::List(vec![Node::text(&format!("{PLACEHOLDER}{what}"))]),
                )
            })
            .collect(),
    )
}

/// Who publishes, for which year, in which unit: read from the lines above the tables
/// (`公开部门：…`, `编制单位：…`, `金额单位：元`, a title or header with `2024年`).
#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub department: Option<(String, Place)>,
    pub year: Option<(i32, Place)>,
    pub unit: Option<(String, Place)>,
}

pub fn identity(book: &super::read::Book) -> Identity {
    let mut id = Identity::default();
    for grid in &book.sheets {
        let (height, width) = grid.extent();
        for r in 0..height.min(HEADER_ROWS) {
            for c in 0..width {
                let t = normal(&grid.text(r, c));
                if t.is_empty() {
                    continue;
                }
                for part in t.split(' ') {
                    if let Some((key, value)) = part.split_once(':') {
                        let value = value.trim();
                        let is_unit = matches!(value, "元" | "万元" | "千元");
                        if key.ends_with("单位") && is_unit {
                            id.unit.get_or_insert((value.to_string(), grid.place(r, c)));
                        } else if [
                            "公开部门",
                            "编制部门",
                            "编制单位",
                            "单位名称",
                            "部门名称",
                            "部门",
                        ]
                        .contains(&key)
                            && !value.is_empty()
                        {
                            id.department.get_or_insert((
                                grid.text(r, c)
                                    .split_once(['：', ':'])
                                    .map_or(value.to_string(), |(_, v)| v.trim().to_string()),
                                grid.place(r, c),
                            ));
                        }
                    }
                }
                // A 预算 header names the prior year too (2023年执行数): the latest year wins.
                if let Some(y) = year_in(&t)
                    && id.year.as_ref().is_none_or(|(old, _)| y > *old)
                {
                    id.year = Some((y, grid.place(r, c)));
                }
            }
        }
    }
    id
}

/// kind, department, year and unit from the lines above the tables.
pub fn identity_lines(
    root: &mut Node,
    kind: &str,
    id: &Identity,
    year: Option<i32>,
    errors: &mut Diagnostics,
) -> i32 {
    root.set("kind", Node::raw(kind));
    match &id.department {
        Some((d, place)) => root.set("department", Node::text_from(d, place)),
        None => root.set("department", Node::text(&format!("{PLACEHOLDER}公开部门"))),
    }
    let year = match (year, &id.year) {
        (Some(y), _) => {
            root.set("year", Node::raw(y.to_string()).with_comment("--year"));
            y
        }
        (None, Some((y, place))) => {
            root.set(
                "year",
                Node::raw(y.to_string()).with_comment(&place.to_string()),
            );
            *y
        }
        (None, None) => {
            errors.push(
                Diagnostic::error(
                    "the workbook names no year (no `2024年` in any title or header)",
                )
                .hint("pass --year YYYY"),
            );
            0
        }
    };
    match &id.unit {
        Some((u, place)) if u == "元" || u == "万元" => {
            root.set("unit", Node::text_from(u, place))
        }
        Some((u, place)) => errors.push(
            Diagnostic::error(format!(
                "{place}: amounts in {u}; budgetdoc reads 元 and 万元"
            ))
            .path(place.to_string())
            .hint("export the workbook in 元 or 万元"),
        ),
        None => errors.push(
            Diagnostic::error(
                "the workbook names no unit (no `金额单位：元` or `单位：万元` above a table)",
            )
            .hint("add the unit line above the tables, as the printed tables have it"),
        ),
    }
    year
}

/// The first `20NN年` in a text.
fn year_in(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(5).find_map(|w| {
        (w[4] == '年' && w[0] == '2' && w[..4].iter().all(char::is_ascii_digit))
            .then(|| w[..4].iter().collect::<String>().parse().ok())
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn years_are_found_in_titles() {
        assert_eq!(year_in("2024年度预算数"), Some(2024));
        assert_eq!(year_in("金额单位:元"), None);
    }

    use super::*;

    #[test]
    fn ordinals_are_stripped() {
        assert_eq!(
            without_ordinal("一、一般公共预算财政拨款收入"),
            "一般公共预算财政拨款收入"
        );
        assert_eq!(without_ordinal("(一)工资福利支出"), "工资福利支出");
        assert_eq!(without_ordinal("本年收入合计"), "本年收入合计");
    }
}
