//! The funds of the performance-target forms as one workbook sheet, both ways: one row per
//! form (项目名称, 主管部门, 实施单位, 项目属性, 项目期 and the amounts the layout prints:
//! 项目总额, 本级/转移 funds, or 年度资金总额 with 财政拨款 and 其他资金), and the import of
//! such a sheet into one form per row. Totals are derived, so they are checked, not typed.

use rust_decimal::Decimal;
use serde_json::Value as Json;

use crate::diag::Diagnostic;
use crate::forms::layout::TargetLayout;
use crate::workbook::locate::Reading;
use crate::workbook::project::{Node, PLACEHOLDER};
use crate::workbook::read::{Book, Grid, Place, normal};
use crate::workbook::{Cell, Sheet, Span, Value, list, text};

/// The text columns every layout has: header and the view's key.
const TEXTS: [(&str, &str); 5] = [
    ("项目名称", "name"),
    ("主管部门", "department"),
    ("实施单位", "implementer"),
    ("项目属性", "attribute"),
    ("项目期", "period"),
];

/// An amount column: its header (a group over a sub-header, or one label) and the view's
/// funds key (`project_total` is the form's own).
struct Money {
    group: Option<&'static str>,
    label: &'static str,
    key: &'static str,
}

const fn m(group: Option<&'static str>, label: &'static str, key: &'static str) -> Money {
    Money { group, label, key }
}

const LOCAL: Option<&str> = Some("本级资金");
const TRANSFER: Option<&str> = Some("转移市县（区）资金");
const ALL: Option<&str> = Some("含本级和市县");
const OWN: Option<&str> = Some("含本级");
const REGIONAL: [Money; 9] = [
    m(None, "项目总额", "project_total"),
    m(None, "年度资金总额", "total"),
    m(LOCAL, "资金总额", "local"),
    m(LOCAL, "财政拨款", "fiscal"),
    m(LOCAL, "其他资金", "other"),
    m(LOCAL, "结余结转资金", "carryover"),
    m(TRANSFER, "资金总额", "transfer"),
    m(TRANSFER, "中央资金", "central"),
    m(TRANSFER, "自治区资金", "regional"),
];
const MUNICIPAL: [Money; 3] = [
    m(None, "年度资金总额", "total"),
    m(None, "财政拨款", "fiscal"),
    m(None, "其他资金", "other"),
];
const COUNTY: [Money; 6] = [
    m(ALL, "年度资金总额", "total"),
    m(ALL, "财政拨款", "fiscal_all"),
    m(ALL, "其他资金", "other"),
    m(OWN, "年度资金总额", "local"),
    m(OWN, "财政拨款", "fiscal"),
    m(OWN, "其他资金", "other"),
];

fn money(layout: TargetLayout) -> &'static [Money] {
    match layout {
        TargetLayout::Regional => &REGIONAL,
        TargetLayout::Municipal => &MUNICIPAL,
        TargetLayout::County => &COUNTY,
    }
}

fn layout_of(key: &str) -> TargetLayout {
    match key {
        "regional" => TargetLayout::Regional,
        "county" => TargetLayout::County,
        _ => TargetLayout::Municipal,
    }
}

/// The forms' funds as one sheet (`None` when there is no form).
pub fn funds_sheet(targets: &[Json], name: &str, publisher: &str) -> Option<Sheet> {
    let first = targets.first()?;
    let layout = layout_of(&text(&first["layout"]));
    let cols = money(layout);
    let mut header = vec![Span::new(0, 0, 2, 1, "序号")];
    for (i, (label, _)) in TEXTS.iter().enumerate() {
        header.push(Span::new(
            0,
            u16::try_from(i + 1).unwrap_or(0),
            2,
            1,
            *label,
        ));
    }
    let base = u16::try_from(TEXTS.len() + 1).unwrap_or(0);
    let mut c = 0;
    while c < cols.len() {
        let col = base + u16::try_from(c).unwrap_or(0);
        match cols[c].group {
            None => {
                header.push(Span::new(0, col, 2, 1, cols[c].label));
                c += 1;
            }
            Some(g) => {
                let n = cols[c..].iter().take_while(|x| x.group == Some(g)).count();
                header.push(Span::new(0, col, 1, u16::try_from(n).unwrap_or(1), g));
                for (k, x) in cols[c..c + n].iter().enumerate() {
                    header.push(Span::new(
                        1,
                        col + u16::try_from(k).unwrap_or(0),
                        1,
                        1,
                        x.label,
                    ));
                }
                c += n;
            }
        }
    }
    let body = targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut row = vec![Cell::new(Value::Centre((i + 1).to_string()))];
            row.extend(
                TEXTS
                    .iter()
                    .map(|(_, k)| Cell::new(Value::label(&text(&t[*k])))),
            );
            row.extend(cols.iter().map(|x| {
                let v = if x.key == "project_total" {
                    &t["project_total"]
                } else {
                    &t["funds"][x.key]
                };
                Cell::new(Value::amount(&text(v)))
            }));
            row
        })
        .collect();
    let mut widths = vec![6, 30, 22, 22, 14, 10];
    widths.extend(std::iter::repeat_n(12, cols.len()));
    Some(Sheet {
        name: name.to_string(),
        title: text(&first["words"]["title"]),
        code: None,
        publisher: publisher.to_string(),
        unit_line: text(&first["words"]["unit_line"]),
        widths,
        header,
        header_rows: 2,
        body,
        notes: Vec::new(),
    })
}

/// One form read from a funds sheet: its texts and amounts with their cells.
#[derive(Debug, Clone, Default)]
pub struct FormRow {
    pub texts: Vec<(&'static str, String, Place)>,
    pub amounts: Vec<(&'static str, Decimal, Place)>,
}

impl FormRow {
    pub fn text(&self, key: &str) -> Option<&(&'static str, String, Place)> {
        self.texts.iter().find(|(k, _, _)| *k == key)
    }
}

/// Finds a funds sheet (by `codes` or a 项目名称 header beside 资金 columns) and reads one
/// form per row; the layout is the one whose columns the sheet has.
pub fn read_funds<'b>(
    book: &'b Book,
    codes: &[&str],
    reading: &mut Reading,
) -> Option<(&'b Grid, TargetLayout, Vec<FormRow>)> {
    let grid = book.sheet(codes, &["项目资金"]).or_else(|| {
        book.sheets.iter().find(|g| {
            g.find(0..12, &["项目名称"]).is_some() && g.find(0..12, &["年度资金总额"]).is_some()
        })
    })?;
    let has = |t: &str| grid.find(0..12, &[t]).is_some();
    let layout = if has("结余结转资金") || has("中央资金") {
        TargetLayout::Regional
    } else if has("含本级") {
        TargetLayout::County
    } else {
        TargetLayout::Municipal
    };
    let (name_row, _) = grid.find(0..12, &["项目名称"])?;
    let column = |x: &Money| -> Option<(u32, u32)> {
        let (r, c) = match x.group {
            Some(g) => {
                let (gr, gc) = grid.find(0..12, &[g])?;
                let reg = grid.region(gr, gc);
                let (height, _) = grid.extent();
                (gr + 1..height.min(12))
                    .flat_map(|r| (reg.start.1..=reg.end.1).map(move |c| (r, c)))
                    .find(|&(r, c)| normal(&grid.text(r, c)) == normal(x.label))?
            }
            None => grid.find(0..12, &[x.label])?,
        };
        Some((grid.region(r, c).end.0, c))
    };
    let texts: Vec<(&'static str, Option<u32>)> = TEXTS
        .iter()
        .map(|(label, key)| (*key, grid.find(0..12, &[label]).map(|(_, c)| c)))
        .collect();
    let cols: Vec<(&Money, Option<(u32, u32)>)> =
        money(layout).iter().map(|x| (x, column(x))).collect();
    let bottom = cols
        .iter()
        .filter_map(|(_, c)| c.map(|(r, _)| r))
        .max()
        .unwrap_or(name_row);
    let name_col = texts[0].1?;
    let (height, _) = grid.extent();
    let mut rows = Vec::new();
    for r in bottom + 1..height {
        let name = grid.text(r, name_col);
        if name.is_empty() {
            continue;
        }
        let mut row = FormRow::default();
        for (key, c) in &texts {
            if let Some(c) = c {
                let t = grid.text(r, *c);
                if !t.is_empty() {
                    row.texts.push((key, t, grid.place(r, *c)));
                }
            }
        }
        for (x, c) in &cols {
            if let Some((_, c)) = c
                && let Some((v, place)) = reading.amount(grid, r, *c)
            {
                row.amounts.push((x.key, v, place));
            }
        }
        rows.push(row);
    }
    Some((grid, layout, rows))
}

/// One form's YAML from a row: its texts, 项目总额 and the typed parts of its funds; the
/// totals the row states are checked against the parts. `skip` leaves out texts the
/// caller writes its own way (the budget's 实施单位 as a unit code).
pub fn form_node(
    row: &FormRow,
    layout: TargetLayout,
    reading: &mut Reading,
    skip: &[&str],
) -> (Node, usize) {
    let mut node = Node::map();
    let mut facts = 0;
    for (key, value, place) in &row.texts {
        if !skip.contains(key) {
            node.set(key, Node::text_from(value, place));
        }
    }
    let get = |k: &str| {
        row.amounts
            .iter()
            .find(|(key, _, _)| *key == k)
            .map(|(_, v, p)| (*v, p.clone()))
    };
    if let Some((v, p)) = get("project_total") {
        node.set("project_total", Node::amount(v, &p));
        facts += 1;
    }
    let mut funds = Node::map();
    let parts = ["fiscal", "other", "carryover", "central", "regional"];
    for k in parts {
        if let Some((v, p)) = get(k) {
            funds.set(k, Node::amount(v, &p));
            facts += 1;
        }
    }
    let value = |k: &str| get(k).map_or(Decimal::ZERO, |(v, _)| v);
    let local = value("fiscal") + value("other") + value("carryover");
    let transfer = value("central") + value("regional");
    reading.check(get("local"), local, "本级资金总额");
    reading.check(get("transfer"), transfer, "转移市县（区）资金总额");
    reading.check(get("total"), local + transfer, "年度资金总额");
    if layout == TargetLayout::County
        && let Some((all, place)) = get("fiscal_all")
        && all != value("fiscal")
    {
        reading.warnings.push(
            Diagnostic::warning(format!(
                "{place}: 财政拨款 (含本级和市县) {all} differs from 含本级 {}; the difference (中央/自治区资金) cannot be split",
                value("fiscal")
            ))
            .path(place.to_string())
            .hint("type `funds.central` and `funds.regional` in the form"),
        );
    }
    node.set("funds", funds);
    node.set(
        "goals",
        Node::List(vec![Node::text(&format!("{PLACEHOLDER}年度绩效目标"))]),
    );
    // One placeholder indicator in each 一级指标 the form must have.
    let mut indicators = Node::map();
    for (group, second, label) in [
        ("output", "quantity", "数量指标"),
        ("effect", "social", "社会效益指标"),
        ("satisfaction", "service_recipients", "服务对象满意度指标"),
    ] {
        let mut item = Node::map();
        item.set("name", Node::text(&format!("{PLACEHOLDER}{label}")));
        item.set("value", Node::text(PLACEHOLDER));
        indicators.child(group).set(second, Node::List(vec![item]));
    }
    node.set("indicators", indicators);
    (node, facts)
}

/// The file name of the `i`-th imported form.
pub fn form_file(dir: &str, i: usize) -> String {
    format!("{dir}/{:02}-form.yaml", i + 1)
}

/// Every form's YAML text, with a header naming the workbook.
pub fn form_text(node: &Node, source: &str) -> String {
    let header = crate::workbook::project::header(
        source,
        &format!("; texts marked {PLACEHOLDER} are yours to write."),
    );
    format!("{header}\n{}", node.to_yaml())
}

/// The `targets` list of a view, as the export reads it.
pub fn targets_of(d: &Json) -> &[Json] {
    list(&d["targets"])
}
