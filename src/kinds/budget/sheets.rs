//! The nine 预算表 as workbook sheets, both ways. Export builds each sheet from the view, as
//! printed. Import reads 表二/表五 (units and their 项 lines: 基本支出, 项目支出 and the prior
//! year's 执行数), 表三 (基本支出 by 经济分类 款), 表四 (“三公”经费), 表七/表八 (income and
//! spending other than the units' 财政拨款), 表六 (which units are 行政) and 表九's forms; the
//! department, unit, 类 and 款 rows, 合计, 增减 and every total are derived, so checked.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::Value as Json;

use crate::diag::{Diagnostic, Diagnostics};
use crate::forms::sheets::{
    FormRow, form_file, form_node, form_text, funds_sheet, read_funds, targets_of,
};
use crate::workbook::locate::{self, Column, Reading};
use crate::workbook::project::{ImportOptions, Imported, Node, PLACEHOLDER};
use crate::workbook::read::{Book, Grid, Place, normal};
use crate::workbook::{Cell, Sheet, Span, Value, list, sheet_name, text, three_public_header};

/// 表一's income lines; the template prints the same words.
const T1_INCOME: [&str; 3] = [
    "一、本年收入",
    "（一）一般公共预算财政拨款收入",
    "（二）政府性基金预算财政拨款收入",
];

/// The table's words by id, as the sheets name them.
fn ordinal_name(id: &str) -> &'static str {
    match id {
        "t1" => "表一",
        "t2" => "表二",
        "t3" => "表三",
        "t4" => "表四",
        "t5" => "表五",
        "t6" => "表六",
        "t7" => "表七",
        "t8" => "表八",
        "t9" => "表九",
        _ => "",
    }
}

// ---------------------------------------------------------------------------------------
// Export

type Layout = (Vec<u16>, Vec<Span>, u32, Vec<Vec<Cell>>);

pub fn sheets(d: &Json) -> Vec<Sheet> {
    let year = text(&d["meta"]["year"]);
    let prior = text(&d["meta"]["prior_year"]);
    let publisher = format!("部门：{}", text(&d["meta"]["department"]));
    let mut out = Vec::new();
    for e in list(&d["tables"]) {
        let id = text(&e["id"]);
        let name = sheet_name(ordinal_name(&id), &text(&e["title"]));
        if id == "t9" {
            out.extend(funds_sheet(targets_of(d), &name, &publisher));
            continue;
        }
        let (widths, header, header_rows, body) = match id.as_str() {
            "t1" => t1(&d["t1"]),
            "t2" => unit_table(&d["t2"], "合计", &year, &prior),
            "t3" => t3(&d["t3"]),
            "t4" => t4(&d["t4"], &year, &prior),
            "t5" => unit_table(&d["t5"], "小计", &year, &prior),
            "t6" => t6(&d["t6"]),
            "t7" => t7(&d["t7"]),
            "t8" => t8(&d["t8"]),
            _ => continue,
        };
        let note = text(&e["empty_note"]);
        out.push(Sheet {
            name,
            title: text(&e["title"]),
            code: None,
            publisher: publisher.clone(),
            unit_line: text(&e["unit_line"]),
            widths,
            header,
            header_rows,
            body,
            notes: if note.is_empty() {
                Vec::new()
            } else {
                vec![note]
            },
        });
    }
    out
}

fn amounts(v: &Json) -> Vec<Cell> {
    list(v)
        .iter()
        .map(|c| Cell::new(Value::amount(&text(c))))
        .collect()
}

fn t1(t: &Json) -> Layout {
    let strings = |v: &Json| list(v).iter().map(text).collect::<Vec<_>>();
    let mut income: Vec<(String, String)> = vec![
        (T1_INCOME[0].into(), String::new()),
        (T1_INCOME[1].into(), text(&t["income_general"])),
        (T1_INCOME[2].into(), text(&t["income_fund"])),
    ];
    let mut spending: Vec<(String, Vec<String>)> =
        vec![("一、本年支出".into(), vec![String::new(); 3])];
    spending.extend(
        list(&t["classes"])
            .iter()
            .map(|c| (text(&c["label"]), strings(&c["cells"]))),
    );
    income.resize(spending.len().max(income.len()), Default::default());
    for (l, a) in [
        ("本年收入小计", text(&t["income_total"])),
        ("二、上年结转结余", String::new()),
        ("（一）一般公共预算财政拨款", String::new()),
        ("（二）政府性基金预算财政拨款", String::new()),
        ("收入总计", text(&t["total"])),
    ] {
        income.push((l.into(), a));
    }
    for (l, a) in [
        ("本年支出小计", strings(&t["spending"])),
        ("二、年末结转结余", vec![String::new(); 3]),
        ("（一）一般公共预算财政拨款", vec![String::new(); 3]),
        ("（二）政府性基金预算财政拨款", vec![String::new(); 3]),
        (
            "支出总计",
            vec![text(&t["total"]), String::new(), String::new()],
        ),
    ] {
        spending.push((l.into(), a));
    }
    let body = income
        .iter()
        .zip(&spending)
        .map(|((l, a), (r, b))| {
            let mut row = vec![
                Cell::new(Value::label(l)),
                Cell::new(Value::amount(a)),
                Cell::new(Value::label(r)),
            ];
            row.extend(
                (0..3).map(|k| Cell::new(Value::amount(b.get(k).map_or("", String::as_str)))),
            );
            row
        })
        .collect();
    let header = vec![
        Span::new(0, 0, 1, 2, "收 入"),
        Span::new(0, 2, 1, 4, "支 出"),
        Span::new(1, 0, 2, 1, "项 目"),
        Span::new(1, 1, 2, 1, "预算数"),
        Span::new(1, 2, 2, 1, "项目（按功能分类）"),
        Span::new(1, 3, 1, 3, "预算数"),
        Span::new(2, 3, 1, 1, "小计"),
        Span::new(2, 4, 1, 1, "一般公共预算财政拨款支出"),
        Span::new(2, 5, 1, 1, "政府性基金预算财政拨款支出"),
    ];
    (vec![34, 14, 34, 14, 16, 16], header, 3, body)
}

/// 表二/表五: department, units, 类/款/项 rows with 执行数, 预算 and 增减.
fn unit_table(t: &Json, total_label: &str, year: &str, prior: &str) -> Layout {
    let header = vec![
        Span::new(0, 0, 1, 2, "功能分类科目"),
        Span::new(0, 2, 2, 1, format!("{prior}年执行数（决算数）")),
        Span::new(0, 3, 1, 3, format!("{year}年预算数")),
        Span::new(
            0,
            6,
            1,
            2,
            format!("{year}年预算数与{prior}年执行数（决算数）"),
        ),
        Span::new(1, 0, 1, 1, "科目编码"),
        Span::new(1, 1, 1, 1, "科目名称"),
        Span::new(1, 3, 1, 1, total_label),
        Span::new(1, 4, 1, 1, "基本支出"),
        Span::new(1, 5, 1, 1, "项目支出"),
        Span::new(1, 6, 1, 1, "增减额"),
        Span::new(1, 7, 1, 1, "增减%"),
    ];
    let mut body: Vec<Vec<Cell>> = list(&t["rows"])
        .iter()
        .map(|r| {
            let cells = list(&r["cells"]);
            let mut row = vec![
                Cell::new(Value::code(&text(&r["code"]))),
                Cell::new(Value::label(&text(&r["name"]))),
            ];
            for (i, c) in cells.iter().enumerate() {
                let v = if i == 5 {
                    Value::rate(&text(c))
                } else {
                    Value::amount(&text(c))
                };
                row.push(Cell::new(v));
            }
            row
        })
        .collect();
    if body.is_empty() && !t["empty"].is_null() {
        let mut row = vec![Cell::new(Value::Empty), Cell::new(Value::Empty)];
        row.extend(amounts(&t["empty"]));
        row.push(Cell::new(Value::Empty));
        body.push(row);
    }
    (vec![12, 36, 16, 14, 14, 14, 14, 10], header, 2, body)
}

fn t3(t: &Json) -> Layout {
    let body = list(&t["rows"])
        .iter()
        .map(|r| {
            let code = text(&r["code"]);
            let mut row = if code.is_empty() {
                vec![Cell::spanning(Value::Centre(text(&r["name"])), 2)]
            } else {
                vec![
                    Cell::new(Value::code(&code)),
                    Cell::new(Value::label(&text(&r["name"]))),
                ]
            };
            row.extend(amounts(&r["cells"]));
            row
        })
        .collect();
    let header = vec![
        Span::new(0, 0, 1, 2, "经济分类科目"),
        Span::new(0, 2, 1, 3, "基本支出预算"),
        Span::new(1, 0, 1, 1, "科目编码"),
        Span::new(1, 1, 1, 1, "科目名称"),
        Span::new(1, 2, 1, 1, "合计"),
        Span::new(1, 3, 1, 1, "人员支出"),
        Span::new(1, 4, 1, 1, "日常公用支出"),
    ];
    (vec![12, 36, 16, 16, 16], header, 2, body)
}

fn t4(t: &Json, year: &str, prior: &str) -> Layout {
    let mut header = Vec::new();
    for (k, label) in [
        format!("{prior}年预算数"),
        format!("{prior}年执行数（决算数）"),
        format!("{year}年预算数"),
    ]
    .into_iter()
    .enumerate()
    {
        let c = u16::try_from(k * 6).unwrap_or(0);
        header.push(Span::new(0, c, 1, 6, label));
        header.extend(three_public_header(c, "公务用车运行维护费"));
    }
    let mut row = amounts(&t["prior_budget"]);
    row.extend(amounts(&t["prior_actual"]));
    row.extend(amounts(&t["budget"]));
    (vec![11; 18], header, 3, vec![row])
}

/// 表六's lines: (label, view key, indent) per side, as the template prints them.
const T6_INCOME: [(&str, &str); 38] = [
    ("一、财政拨款预算收入", "fiscal"),
    ("(1) 一般公共预算财政拨款收入", "general"),
    ("本级安排", "general_local"),
    ("上级转移支付", ""),
    ("(2) 政府性基金预算财政拨款收入", "fund"),
    ("本级安排", "fund_local"),
    ("上级转移支付", ""),
    ("二、事业预算收入", "business"),
    (
        "其中：非同级财政拨款（科研及辅助活动）",
        "business_non_same_level",
    ),
    ("教育收费", "business_special_account"),
    ("三、上级补助预算收入", "superior_subsidy"),
    ("四、附属单位上缴预算收入", "affiliated"),
    ("五、经营预算收入", "operating"),
    ("六、债务预算收入", "debt"),
    ("七、非同级财政拨款预算收入", "non_same_level"),
    ("(1) 本级横向转拨财政款", "non_same_level_horizontal"),
    ("(2) 非本级财政拨款", "non_same_level_other"),
    ("八、投资预算收益", "investment"),
    ("九、其他预算收入", "other"),
    ("", ""),
    ("本年收入合计", "income_total"),
    ("十、上年结转", ""),
    ("(1) 财政拨款结转", ""),
    ("其中：一般公共预算财政拨款收入", ""),
    ("政府性基金预算财政拨款收入", ""),
    ("(2) 非财政拨款结转", ""),
    ("其中：本级横向财政拨款", ""),
    ("非本级财政拨款", ""),
    ("十一、上年结余", ""),
    ("(1) 财政拨款结余", ""),
    ("其中：一般公共预算财政拨款收入", ""),
    ("政府性基金预算财政拨款收入", ""),
    ("(2) 非财政拨款结余", ""),
    ("其中：本级横向财政拨款", ""),
    ("非本级财政拨款", ""),
    ("(3) 专用结余", ""),
    ("(4) 经营结余", ""),
    ("收入总计", "income_total"),
];

fn t6(t: &Json) -> Layout {
    let nature = |label: &str, n: &Json| -> Vec<(String, String)> {
        vec![
            (label.into(), text(&n["total"])),
            ("其中：财政拨款支出".into(), text(&n["fiscal"])),
            ("一般公共预算财政拨款支出".into(), text(&n["general"])),
            ("政府性基金预算财政拨款支出".into(), text(&n["fund"])),
            ("非同级财政拨款支出".into(), String::new()),
            ("本级横向转拨财政款".into(), String::new()),
            ("非本级财政拨款".into(), String::new()),
        ]
    };
    let mut spending = nature("一、行政支出", &t["administrative"]);
    spending.extend(nature("二、事业支出", &t["institutional"]));
    for (l, k) in [
        ("三、经营支出", "operating_spending"),
        ("四、上缴上级支出", "remit_to_superior"),
        ("五、对附属单位补助支出", "subsidy_to_affiliated"),
        ("六、投资支出", "investment_spending"),
        ("七、债务还本支出", "debt_repayment"),
        ("八、其他支出", "other_spending"),
        ("本年支出合计", "spending_total"),
    ] {
        spending.push((l.into(), text(&t[k])));
    }
    for l in [
        "九、年末结转结余",
        "(1) 财政拨款结转",
        "其中：一般公共预算财政拨款收入",
        "政府性基金预算财政拨款收入",
        "(2) 财政拨款结余",
        "其中：一般公共预算财政拨款收入",
        "政府性基金预算财政拨款收入",
        "(3) 非财政拨款结转",
        "其中：本级横向财政拨款",
        "非本级财政拨款",
        "(4) 非财政拨款结余",
        "其中：本级横向财政拨款",
        "非本级财政拨款",
        "(5) 专用结余",
        "(6) 经营结余",
        "",
    ] {
        spending.push((l.into(), String::new()));
    }
    spending.push(("支出总计".into(), text(&t["spending_total"])));
    let body = T6_INCOME
        .iter()
        .zip(&spending)
        .map(|((l, k), (r, b))| {
            let a = if k.is_empty() {
                String::new()
            } else {
                text(&t[*k])
            };
            vec![
                Cell::new(Value::label(l)),
                Cell::new(Value::amount(&a)),
                Cell::new(Value::label(r)),
                Cell::new(Value::amount(b)),
            ]
        })
        .collect();
    let header = vec![
        Span::new(0, 0, 1, 2, "收 入"),
        Span::new(0, 2, 1, 2, "支 出"),
        Span::new(1, 0, 1, 1, "项目"),
        Span::new(1, 1, 1, 1, "预算数"),
        Span::new(1, 2, 1, 1, "项目"),
        Span::new(1, 3, 1, 1, "预算数"),
    ];
    (vec![40, 14, 40, 14], header, 2, body)
}

fn t7(t: &Json) -> Layout {
    let header = vec![
        Span::new(0, 0, 3, 1, "本年收入合计"),
        Span::new(0, 1, 1, 3, "财政拨款预算收入"),
        Span::new(0, 4, 1, 3, "事业预算收入"),
        Span::new(0, 7, 3, 1, "上级补助预算收入"),
        Span::new(0, 8, 3, 1, "附属单位上缴预算收入"),
        Span::new(0, 9, 3, 1, "经营预算收入"),
        Span::new(0, 10, 3, 1, "债务预算收入"),
        Span::new(0, 11, 1, 3, "非同级财政拨款预算收入"),
        Span::new(0, 14, 3, 1, "投资预算收益"),
        Span::new(0, 15, 3, 1, "其他预算收入"),
        Span::new(1, 1, 2, 1, "小计"),
        Span::new(1, 2, 2, 1, "一般公共预算财政拨款收入"),
        Span::new(1, 3, 2, 1, "政府性基金预算财政拨款收入"),
        Span::new(1, 4, 2, 1, "小计"),
        Span::new(1, 5, 1, 2, "其中："),
        Span::new(1, 11, 2, 1, "小计"),
        Span::new(1, 12, 2, 1, "非本级财政拨款"),
        Span::new(1, 13, 2, 1, "本级横向财政拨款"),
        Span::new(2, 5, 1, 1, "非同级财政拨款（科研及辅助活动）"),
        Span::new(2, 6, 1, 1, "纳入财政专户管理的非税收入"),
    ];
    (vec![12; 16], header, 3, vec![amounts(t)])
}

const T8: [&str; 9] = [
    "本年支出合计",
    "行政支出",
    "事业支出",
    "经营支出",
    "上缴上级支出",
    "对附属单位补助支出",
    "投资支出",
    "债务还本支出",
    "其他支出",
];

fn t8(t: &Json) -> Layout {
    let header = T8
        .iter()
        .enumerate()
        .map(|(c, l)| Span::new(0, u16::try_from(c).unwrap_or(0), 1, 1, *l))
        .collect();
    (vec![14; 9], header, 1, vec![amounts(t)])
}

// ---------------------------------------------------------------------------------------
// Import

fn find<'b>(book: &'b Book, id: &str) -> Option<&'b Grid> {
    let (codes, titles): (&[&str], &[&str]) = match id {
        // Besides budgetdoc's own 表一…表八, the 预算管理一体化 exports' sheet codes of the same
        // tables (单位 2.NN, 部门 3.NN; ../shared/design anchors §2.2).
        "t1" => (&["表一", "2.18", "3.19"], &["财政拨款收支预算总表"]),
        "t2" => (
            &["表二", "2.20", "3.21"],
            &["一般公共预算财政拨款支出预算表"],
        ),
        "t3" => (
            &["表三", "2.23", "3.24"],
            &["一般公共预算财政拨款基本支出预算表"],
        ),
        "t4" => (
            &["表四", "2.25", "3.25"],
            &[
                "一般公共预算财政拨款“三公”经费支出预算表",
                "一般公共预算财政拨款\"三公\"经费支出预算表",
            ],
        ),
        "t5" => (&["表五", "2.21"], &["政府性基金预算财政拨款支出预算表"]),
        "t6" => (&["表六", "2.15", "3.15"], &["部门收支预算总表"]),
        "t7" => (&["表七", "2.16"], &["部门收入预算表"]),
        "t8" => (&["表八", "2.17"], &["部门支出预算表"]),
        _ => (&[], &[]),
    };
    book.sheet(codes, titles)
}

/// One unit's lines of one table, by 项 code: 基本, 项目, 执行数.
type Lines = BTreeMap<String, [Option<(Decimal, Place)>; 3]>;

#[derive(Default)]
struct Unit {
    code: String,
    name: (String, Option<Place>),
    general: Lines,
    fund: Lines,
}

/// Reads 表二 or 表五 into the units (creating those it names).
fn read_unit_table(
    grid: &Grid,
    units: &mut Vec<Unit>,
    department: &mut Option<(String, String, Place)>,
    fund: bool,
    reading: &mut Reading,
) {
    let cols = [
        Column::one(&["执行数（决算数）"]),
        Column::under(&["预算数"], &["合计", "小计"]),
        Column::under(&["预算数"], &["基本支出"]),
        Column::under(&["预算数"], &["项目支出"]),
        Column::one(&["增减额"]),
    ];
    // Headers carry the years (`2023年执行数（决算数）`): match on the words after them.
    let (found, bottom) = find_columns_suffix(grid, &cols);
    let code_col = grid
        .find(0..bottom + 1, &["科目编码"])
        .map_or(0, |(_, c)| c);
    let name_col = grid
        .find(0..bottom + 1, &["科目名称"])
        .map_or(code_col + 1, |(_, c)| c);
    let (height, _) = grid.extent();
    let mut current: Option<usize> = None;
    // Stated rows to check: (unit index or none for the department, code prefix, cells).
    let mut stated: Vec<(Option<usize>, String, Vec<locate::Stated>)> = Vec::new();
    for r in bottom + 1..height {
        let code = grid.text(r, code_col);
        let name = grid.text(r, name_col);
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let cells: Vec<Option<(Decimal, Place)>> = found
            .iter()
            .map(|c| c.and_then(|c| reading.amount(grid, r, c)))
            .collect();
        let functional =
            matches!(code.len(), 3 | 5 | 7) && crate::catalog::is_functional_class(&code[..3]);
        if !functional && department.as_ref().is_some_and(|(d, _, _)| *d == code) {
            stated.push((None, String::new(), cells));
            continue;
        }
        if !functional {
            if department.is_none()
                && current.is_none()
                && units.iter().all(|u| u.code != code)
                && !code_is_unit_like(&code, grid, r, code_col, height)
            {
                *department = Some((code, name, grid.place(r, name_col)));
                stated.push((None, String::new(), cells));
                continue;
            }
            let i = match units.iter().position(|u| u.code == code) {
                Some(i) => i,
                None => {
                    units.push(Unit {
                        code: code.clone(),
                        name: (name.clone(), Some(grid.place(r, name_col))),
                        ..Unit::default()
                    });
                    units.len() - 1
                }
            };
            current = Some(i);
            stated.push((Some(i), String::new(), cells));
            continue;
        }
        let Some(i) = current else {
            reading.errors.push(
                Diagnostic::error(format!(
                    "{}: 科目 {code} comes before any unit row",
                    grid.place(r, code_col)
                ))
                .path(grid.place(r, code_col).to_string())
                .hint("表二 and 表五 list each unit (its code and name) above its 科目 rows"),
            );
            continue;
        };
        if code.len() == 7 {
            let line = [cells[2].clone(), cells[3].clone(), cells[0].clone()];
            let lines = if fund {
                &mut units[i].fund
            } else {
                &mut units[i].general
            };
            lines.insert(code.clone(), line);
            let total = cells[2].as_ref().map_or(Decimal::ZERO, |c| c.0)
                + cells[3].as_ref().map_or(Decimal::ZERO, |c| c.0);
            reading.check(cells[1].clone(), total, &format!("the 预算数 of {code}"));
        } else {
            stated.push((Some(i), code, cells));
        }
    }
    // Every stated roll-up against the 项 lines under it.
    for (unit, prefix, cells) in stated {
        let lines: Vec<&[Option<(Decimal, Place)>; 3]> = units
            .iter()
            .enumerate()
            .filter(|(i, _)| unit.is_none_or(|u| u == *i))
            .flat_map(|(_, u)| {
                if fund {
                    u.fund.iter()
                } else {
                    u.general.iter()
                }
            })
            .filter(|(c, _)| c.starts_with(&prefix))
            .map(|(_, l)| l)
            .collect();
        let sum = |k: usize| -> Decimal {
            lines
                .iter()
                .filter_map(|l| l[k].as_ref())
                .map(|(v, _)| *v)
                .sum()
        };
        let what = if prefix.is_empty() {
            "the unit's row".to_string()
        } else {
            format!("the row of {prefix}")
        };
        reading.check(cells[0].clone(), sum(2), &what);
        reading.check(cells[1].clone(), sum(0) + sum(1), &what);
        reading.check(cells[2].clone(), sum(0), &what);
        reading.check(cells[3].clone(), sum(1), &what);
    }
}

/// Whether a non-功能 code is a unit's rather than the department's: the department's row
/// comes first and the units' codes extend it (310 → 310001).
fn code_is_unit_like(code: &str, grid: &Grid, row: u32, code_col: u32, height: u32) -> bool {
    !(row + 1..height).any(|r| {
        let next = grid.text(r, code_col);
        next.len() > code.len()
            && next.starts_with(code)
            && next.chars().all(|c| c.is_ascii_digit())
            && !crate::catalog::is_functional_class(&next[..3])
    })
}

/// Like [`locate::find_columns`], where a header may carry a year before its words
/// (`2024年预算数`).
fn find_columns_suffix(grid: &Grid, cols: &[Column]) -> (Vec<Option<u32>>, u32) {
    let (height, width) = grid.extent();
    let mut bottom = 0;
    let mut out = Vec::new();
    for col in cols {
        let ends = |t: &str, words: &[&str]| words.iter().any(|w| t.ends_with(&normal(w)));
        let top = (0..height.min(12))
            .flat_map(|r| (0..width).map(move |c| (r, c)))
            .find(|&(r, c)| ends(&normal(&grid.text(r, c)), &col.label));
        let hit = top.and_then(|(r, c)| {
            let reg = grid.region(r, c);
            match &col.sub {
                None => Some((reg.end.0, c)),
                Some(sub) => (r + 1..height.min(12))
                    .flat_map(|r| (reg.start.1..=reg.end.1).map(move |c| (r, c)))
                    .find(|&(r, c)| ends(&normal(&grid.text(r, c)), sub))
                    .map(|(r, c)| (grid.region(r, c).end.0, c)),
            }
        });
        if let Some((r, _)) = hit {
            bottom = bottom.max(r);
        }
        out.push(hit.map(|(_, c)| c));
    }
    (out, bottom)
}

pub fn import(book: &Book, options: &ImportOptions) -> Option<Result<Imported, Diagnostics>> {
    find(book, "t2").or_else(|| find(book, "t3"))?;
    Some(run(book, options))
}

fn run(book: &Book, options: &ImportOptions) -> Result<Imported, Diagnostics> {
    let mut reading = Reading::default();
    let mut errors = Diagnostics::default();
    let id = locate::identity(book);
    let mut root = Node::map();
    let year = locate::identity_lines(&mut root, "budget", &id, options.year, &mut errors);
    let mut units: Vec<Unit> = Vec::new();
    let mut department = None;
    if let Some(g) = find(book, "t2") {
        read_unit_table(g, &mut units, &mut department, false, &mut reading);
    }
    if let Some(g) = find(book, "t5") {
        read_unit_table(g, &mut units, &mut department, true, &mut reading);
    }
    if let Some((code, name, place)) = &department {
        root.set("code", Node::text(code).with_comment(&place.to_string()));
        if id
            .department
            .as_ref()
            .is_none_or(|(d, _)| normal(d) != normal(name))
        {
            root.set("department", Node::text_from(name, place));
        }
    }
    root.set(
        "overview",
        locate::placeholders(&[("duties", "主要职能"), ("composition", "部门预算单位构成")]),
    );
    let natures = natures(book, &units, &mut reading);
    let mut facts = 0;
    let mut catalog = Node::map();
    let mut catalogs = options.catalogs.clone();
    catalogs.year = year;
    let mut unit_nodes = Vec::new();
    for (u, nature) in units.iter().zip(&natures) {
        let mut node = Node::map();
        node.set("code", Node::text(&u.code));
        match &u.name {
            (n, Some(p)) => node.set("name", Node::text_from(n, p)),
            (n, None) => node.set("name", Node::text(n)),
        }
        node.set("nature", Node::raw(*nature));
        for (key, lines) in [("general_budget", &u.general), ("government_fund", &u.fund)] {
            let mut items = Vec::new();
            for (code, line) in lines {
                let mut item = Node::map();
                item.set("code", Node::text(code));
                for (field, cell) in ["basic", "project", "prior"].iter().zip(line) {
                    if let Some((v, p)) = cell {
                        item.set(field, Node::amount(*v, p));
                        facts += 1;
                    }
                }
                items.push(item);
            }
            node.set(key, Node::List(items));
        }
        unit_nodes.push(node);
    }
    names(book, &catalogs, options, &mut catalog, &mut reading);
    root.set("catalog", catalog);
    root.set("units", Node::List(unit_nodes));
    facts += economic(book, &mut root, &mut reading);
    facts += three_public(book, &mut root, &mut reading);
    facts += others(book, &mut root, &units, &natures, &mut reading);
    let mut files = Vec::new();
    let source = book.file_name();
    let mut forms: Vec<(String, String)> = Vec::new();
    if let Some((_, layout, rows)) = read_funds(book, &["表九"], &mut reading) {
        for (i, row) in rows.iter().enumerate() {
            let (mut node, n) =
                form_node(row, layout, &mut reading, &["department", "implementer"]);
            facts += n;
            form_owner(row, &units, &department, &mut node);
            forms.push((
                form_file(crate::load::TARGETS_DIR, i),
                form_text(&node, &source),
            ));
        }
    }
    let missing: Vec<&str> = ["t2", "t3", "t4", "t5", "t6", "t7", "t8"]
        .into_iter()
        .filter(|id| find(book, id).is_none())
        .map(ordinal_name)
        .collect();
    if !missing.is_empty() {
        reading.warnings.push(
            Diagnostic::warning(format!(
                "the workbook has no sheet for {}; their facts were not imported",
                missing.join(", ")
            ))
            .hint(
                "type those facts in the new project, or export a workbook that has those tables",
            ),
        );
    }
    errors.extend(std::mem::take(&mut reading.errors));
    if errors.has_errors() {
        return Err(errors);
    }
    files.push((
        crate::load::PROJECT_FILE.to_string(),
        format!(
            "{}\n\n{}",
            crate::workbook::project::header(
                &source,
                &format!(".\n# Each fact names the cell it came from; texts marked {PLACEHOLDER} are yours to write.\n# Department, unit, 类 and 款 rows, 合计, 增减 and every total are derived by budgetdoc, not typed.")
            ),
            root.to_yaml()
        ),
    ));
    files.extend(forms);
    Ok(Imported {
        files,
        warnings: reading.warnings,
        located: reading.located,
        facts,
    })
}

/// A form's 实施单位 as one of the units (by name), else as printed; its 主管部门 when it is
/// not the department's.
fn form_owner(
    row: &FormRow,
    units: &[Unit],
    department: &Option<(String, String, Place)>,
    node: &mut Node,
) {
    if let Some((_, implementer, place)) = row.text("implementer") {
        match units
            .iter()
            .find(|u| normal(&u.name.0) == normal(implementer))
        {
            Some(u) => node.set("unit", Node::text(&u.code).with_comment(&place.to_string())),
            None => node.set("implementer", Node::text_from(implementer, place)),
        }
    }
    if let Some((_, printed, place)) = row.text("department") {
        let own = department.as_ref().is_some_and(|(code, name, _)| {
            let p = normal(printed);
            p == normal(name) || p == normal(&format!("{name}{code}"))
        });
        if !own {
            node.set("department", Node::text_from(printed, place));
        }
    }
}

/// 行政 or 事业 for each unit: the units whose 财政拨款 adds up to 表六's 行政支出 其中：财政
/// 拨款支出 are 行政 (the first such set, smallest first); without 表六, 行政.
fn natures(book: &Book, units: &[Unit], reading: &mut Reading) -> Vec<&'static str> {
    let fiscal: Vec<Decimal> = units
        .iter()
        .map(|u| {
            u.general
                .values()
                .chain(u.fund.values())
                .flat_map(|l| l[..2].iter().flatten())
                .map(|(v, _)| *v)
                .sum()
        })
        .collect();
    let administrative = find(book, "t6").and_then(|g| {
        let (r, _) = locate::label(g, &["一、行政支出"], 0)?;
        let (r2, c2) = locate::label(g, &["其中：财政拨款支出"], r)?;
        let col = locate::amount_right_of(g, r2, c2, &["预算数"])?;
        Some(reading.amount(g, r2, col).map_or(Decimal::ZERO, |(v, _)| v))
    });
    let Some(target) = administrative else {
        return vec!["行政"; units.len()];
    };
    if units.len() <= 20 {
        for mask in 0u32..(1 << units.len()) {
            let sum: Decimal = (0..units.len())
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| fiscal[i])
                .sum();
            if sum == target {
                return (0..units.len())
                    .map(|i| {
                        if mask & (1 << i) != 0 {
                            "行政"
                        } else {
                            "事业"
                        }
                    })
                    .collect();
            }
        }
    }
    reading.warnings.push(Diagnostic::warning(format!(
        "no set of units adds up to 表六's 行政支出 其中：财政拨款支出 {target}; every unit was imported as 行政"
    )).hint("set each unit's `nature:` (行政 or 事业)"));
    vec!["行政"; units.len()]
}

/// Names of 功能分类 codes in 表二/表五 that differ from the catalog's go to `catalog:`.
fn names(
    book: &Book,
    catalogs: &crate::catalog::Catalogs,
    options: &ImportOptions,
    catalog: &mut Node,
    reading: &mut Reading,
) {
    for id in ["t2", "t5"] {
        let Some(g) = find(book, id) else { continue };
        let Some((hr, code_col)) = g.find(0..12, &["科目编码"]) else {
            continue;
        };
        let name_col = g
            .find(0..12, &["科目名称"])
            .map_or(code_col + 1, |(_, c)| c);
        let (height, _) = g.extent();
        for r in hr + 1..height {
            let code = g.text(r, code_col);
            if !(matches!(code.len(), 3 | 5 | 7)
                && code.chars().all(|c| c.is_ascii_digit())
                && crate::catalog::is_functional_class(&code[..3]))
            {
                continue;
            }
            let name = g.text(r, name_col);
            let (place, code_place) = (g.place(r, name_col), g.place(r, code_col));
            locate::catalog_name(
                (&code, &name, &place, &code_place),
                catalogs,
                options.new_codes,
                catalog,
                reading,
            );
        }
    }
}

/// 表三: each 款's amount in its block's column (人员支出 or 日常公用支出); 表三 prints every
/// 款, so a 0 there is not a fact. 类 rows and 总计 are checked.
fn economic(book: &Book, root: &mut Node, reading: &mut Reading) -> usize {
    let Some(g) = find(book, "t3") else { return 0 };
    let (found, bottom) = locate::find_columns(
        g,
        &[
            Column::one(&["合计"]),
            Column::one(&["人员支出"]),
            Column::one(&["日常公用支出"]),
        ],
    );
    let Some(code_col) = g.find(0..bottom + 1, &["科目编码"]).map(|(_, c)| c) else {
        return 0;
    };
    let (height, _) = g.extent();
    let mut personnel = Node::map();
    let mut public = Node::map();
    let mut items: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut classes = Vec::new();
    let mut facts = 0;
    for r in bottom + 1..height {
        let code = g.text(r, code_col);
        let cells: Vec<Option<(Decimal, Place)>> = found
            .iter()
            .map(|c| c.and_then(|c| reading.amount(g, r, c)))
            .collect();
        if matches!(normal(&code).as_str(), "总计" | "合计") {
            classes.push((String::new(), cells));
            continue;
        }
        if !code.chars().all(|c| c.is_ascii_digit()) || !matches!(code.len(), 3 | 5) {
            continue;
        }
        if code.len() == 3 {
            classes.push((code, cells));
            continue;
        }
        let block = crate::catalog::economic_block(&code[..3.min(code.len())]);
        let (k, node) = match block {
            Some(crate::catalog::EconomicBlock::Personnel) => (1, &mut personnel),
            _ => (2, &mut public),
        };
        if let Some((v, p)) = &cells[k]
            && !v.is_zero()
        {
            node.set(&code, Node::amount(*v, p));
            items.insert(code.clone(), *v);
            facts += 1;
        }
        // A 款 belongs to one block: an amount in the other column has no fact to go to.
        if let Some((v, p)) = &cells[3 - k]
            && !v.is_zero()
        {
            reading.warnings.push(
                Diagnostic::warning(format!(
                    "{p}: {code} is a {} code, but {v} stands in the {} column; it was not imported",
                    if k == 1 { "人员支出" } else { "日常公用支出" },
                    if k == 1 { "日常公用支出" } else { "人员支出" },
                ))
                .path(p.to_string())
                .hint("budgetdoc puts each 经济分类 款 in its 类's block (301/303: 人员支出; 302, 310, …: 日常公用支出); move the amount to its block"),
            );
        }
        let sum = cells[1].as_ref().map_or(Decimal::ZERO, |c| c.0)
            + cells[2].as_ref().map_or(Decimal::ZERO, |c| c.0);
        reading.check(cells[0].clone(), sum, &format!("the 合计 of {code}"));
    }
    for (class, cells) in classes {
        let sum: Decimal = items
            .iter()
            .filter(|(c, _)| c.starts_with(&class))
            .map(|(_, v)| *v)
            .sum();
        reading.check(
            cells[0].clone(),
            sum,
            if class.is_empty() {
                "总计"
            } else {
                "the row of a 类"
            },
        );
    }
    let mut node = Node::map();
    node.set("personnel", personnel);
    node.set("public", public);
    root.set("basic_by_economic", node);
    facts
}

/// 表四: the 三公 items of each year's block; 合计 and 小计 are checked.
fn three_public(book: &Book, root: &mut Node, reading: &mut Reading) -> usize {
    let Some(g) = find(book, "t4") else { return 0 };
    let (height, width) = g.extent();
    let mut node = Node::map();
    let mut facts = 0;
    // The three blocks, by the words their header ends with, in print order: the prior
    // year's 预算数, its 执行数（决算数）, this year's 预算数.
    let mut blocks: Vec<(&str, u32, u32, u32)> = Vec::new();
    let row = (0..height.min(12))
        .find(|&r| (0..width).any(|c| normal(&g.text(r, c)).ends_with("执行数(决算数)")));
    if let Some(r) = row {
        let mut budgets = 0;
        for c in 0..width {
            let t = normal(&g.text(r, c));
            let key = if t.ends_with("执行数(决算数)") {
                "prior_actual"
            } else if t.ends_with("预算数") {
                budgets += 1;
                if budgets == 1 {
                    "prior_budget"
                } else {
                    "budget"
                }
            } else {
                continue;
            };
            let reg = g.region(r, c);
            blocks.push((key, reg.end.0, reg.start.1, reg.end.1));
        }
    }
    for (key, below, lo, hi) in blocks {
        if let Some((block, n)) = locate::three_public_block(g, below, lo, hi, reading) {
            node.set(key, block);
            facts += n;
        }
    }
    root.set("three_public", node);
    facts
}

/// 表七's income and 表八's spending other than the units' 财政拨款.
fn others(
    book: &Book,
    root: &mut Node,
    units: &[Unit],
    natures: &[&str],
    reading: &mut Reading,
) -> usize {
    let mut facts = 0;
    if let Some(g) = find(book, "t7") {
        let specs: [(Option<&'static str>, Column); 11] = [
            (
                Some("business"),
                Column::under(&["事业预算收入"], &["小计"]),
            ),
            (
                Some("business_non_same_level"),
                Column::one(&["非同级财政拨款（科研及辅助活动）"]),
            ),
            (
                Some("business_special_account"),
                Column::one(&["纳入财政专户管理的非税收入"]),
            ),
            (Some("superior_subsidy"), Column::one(&["上级补助预算收入"])),
            (Some("affiliated"), Column::one(&["附属单位上缴预算收入"])),
            (Some("operating"), Column::one(&["经营预算收入"])),
            (Some("debt"), Column::one(&["债务预算收入"])),
            (
                Some("non_same_level_other"),
                Column::one(&["非本级财政拨款"]),
            ),
            (
                Some("non_same_level_horizontal"),
                Column::one(&["本级横向财政拨款"]),
            ),
            (Some("investment"), Column::one(&["投资预算收益"])),
            (Some("other"), Column::one(&["其他预算收入"])),
        ];
        let cols: Vec<Column> = specs.iter().map(|(_, c)| c.clone()).collect();
        let (found, bottom) = locate::find_columns(g, &cols);
        let mut node = Node::map();
        if let Some(r) = locate::first_data_row(g, bottom) {
            for ((key, _), c) in specs.iter().zip(found) {
                if let (Some(key), Some(c)) = (key, c)
                    && let Some((v, p)) = reading.amount(g, r, c)
                {
                    node.set(key, Node::amount(v, &p));
                    facts += 1;
                }
            }
        }
        root.set("income", node);
    }
    if let Some(g) = find(book, "t8") {
        let labels = T8;
        let cols: Vec<Column> = labels
            .iter()
            .map(|l| Column::one(std::slice::from_ref(l)))
            .collect();
        let (found, bottom) = locate::find_columns(g, &cols);
        let mut node = Node::map();
        if let Some(r) = locate::first_data_row(g, bottom) {
            let fiscal = |nature: &str| -> Decimal {
                units
                    .iter()
                    .zip(natures)
                    .filter(|(_, n)| **n == nature)
                    .flat_map(|(u, _)| u.general.values().chain(u.fund.values()))
                    .flat_map(|l| l[..2].iter().flatten())
                    .map(|(v, _)| *v)
                    .sum()
            };
            let keys = [
                None,
                Some("administrative"),
                Some("institutional"),
                Some("operating"),
                Some("remit_to_superior"),
                Some("subsidy_to_affiliated"),
                Some("investment"),
                Some("debt_repayment"),
                Some("other"),
            ];
            for (i, (key, c)) in keys.iter().zip(found).enumerate() {
                let (Some(key), Some(c)) = (key, c) else {
                    continue;
                };
                let Some((v, p)) = reading.amount(g, r, c) else {
                    continue;
                };
                // 行政/事业支出 hold the units' 财政拨款 too: the rest is the typed part.
                let v = match i {
                    1 => v - fiscal("行政"),
                    2 => v - fiscal("事业"),
                    _ => v,
                };
                if (i == 1 || i == 2) && v.is_zero() {
                    continue;
                }
                node.set(key, Node::amount(v, &p));
                facts += 1;
            }
        }
        root.set("expenditure", node);
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_integrated_systems_sheet_codes_find_the_same_tables() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("一体化.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        for name in [
            "2.15单位收支总表",
            "2.150备注",
            "2.22单位国有资本经营预算拨款表 ",
            "3.25部门“三公”经费和机关运行经费预算表",
        ] {
            book.add_worksheet().set_name(name).unwrap();
        }
        book.save(&path).unwrap();
        let book = Book::open(&path).unwrap();
        let name = |id| find(&book, id).map(|g| g.name.clone());
        assert_eq!(name("t6").as_deref(), Some("2.15单位收支总表"));
        assert_eq!(
            name("t4").as_deref(),
            Some("3.25部门“三公”经费和机关运行经费预算表")
        );
        assert_eq!(name("t2"), None);
    }

    #[test]
    fn an_amount_in_the_other_block_of_table_three_is_reported_not_imported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t3.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        ws.set_name("表三 一般公共预算财政拨款基本支出预算表")
            .unwrap();
        for (c, h) in ["科目编码", "科目名称", "合计", "人员支出", "日常公用支出"]
            .iter()
            .enumerate()
        {
            ws.write(3, u16::try_from(c).unwrap(), *h).unwrap();
        }
        ws.write(4, 0, "30101").unwrap();
        ws.write(4, 1, "基本工资").unwrap();
        for (c, v) in [(2u16, 10.5), (3, 8.0), (4, 2.5)] {
            ws.write(4, c, v).unwrap();
        }
        book.save(&path).unwrap();
        let book = Book::open(&path).unwrap();
        let mut root = Node::map();
        let mut reading = Reading::default();
        assert_eq!(economic(&book, &mut root, &mut reading), 1);
        let yaml = root.to_yaml();
        assert!(yaml.contains("\"30101\": 8.00"), "{yaml}");
        let messages: Vec<&str> = reading
            .warnings
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "表三 一般公共预算财政拨款基本支出预算表!E5: 30101 is a 人员支出 code, but 2.5 stands in the 日常公用支出 column; it was not imported"
            ]
        );
    }
}
