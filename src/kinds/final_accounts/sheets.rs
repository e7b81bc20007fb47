//! The nine 公开表 as workbook sheets, both ways: export builds each sheet from the view
//! (what the PDF prints, header for header); import finds each table in a workbook — ours,
//! or the 部门决算报表软件's (`Z03 收入决算表(财决03表)`, …) — and writes the facts a project
//! types: 项 amounts, balances, 经济分类 款 amounts and the 三公 items. 合计, 类 and 款 rows and
//! every total column are derived, so they are checked against the parts, never imported.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::Value as Json;

use crate::diag::{Diagnostic, Diagnostics};
use crate::workbook::locate::{self, Column, Reading};
use crate::workbook::project::{ImportOptions, Imported, Node, PLACEHOLDER};
use crate::workbook::read::{Book, Grid, Place, normal};
use crate::workbook::{
    Cell, Sheet, Span, Value, hierarchy_body, hierarchy_header, list, sheet_name, text,
    three_public_header,
};

/// A 类/款/项 table: its amount columns (a label, or a label over sub-labels).
struct HierSpec {
    id: &'static str,
    columns: &'static [(&'static str, &'static [&'static str])],
}

const T02: HierSpec = HierSpec {
    id: "02",
    columns: &[
        ("本年收入合计", &[]),
        ("财政拨款收入", &[]),
        ("上级补助收入", &[]),
        ("事业收入", &["小计", "其中：教育收费"]),
        ("经营收入", &[]),
        ("附属单位上缴收入", &[]),
        ("其他收入", &[]),
    ],
};
const T03: HierSpec = HierSpec {
    id: "03",
    columns: &[
        ("本年支出合计", &[]),
        ("基本支出", &[]),
        ("项目支出", &[]),
        ("上缴上级支出", &[]),
        ("经营支出", &[]),
        ("对附属单位补助支出", &[]),
    ],
};
const T05: HierSpec = HierSpec {
    id: "05",
    columns: &[("本年支出合计", &[]), ("基本支出", &[]), ("项目支出", &[])],
};
const T08: HierSpec = HierSpec {
    id: "08",
    columns: &[
        ("年初结转和结余", &[]),
        ("本年收入", &[]),
        ("本年支出", &["小计", "基本支出", "项目支出"]),
        ("年末结转和结余", &[]),
    ],
};
const T09: HierSpec = HierSpec {
    id: "09",
    columns: &[("本年支出合计", &[]), ("基本支出", &[]), ("项目支出", &[])],
};

const INCOME_01: [&str; 8] = [
    "一、一般公共预算财政拨款收入",
    "二、政府性基金预算财政拨款收入",
    "三、国有资本经营预算财政拨款收入",
    "四、上级补助收入",
    "五、事业收入",
    "六、经营收入",
    "七、附属单位上缴收入",
    "八、其他收入",
];
const FISCAL_04: [&str; 3] = [
    "一、一般公共预算财政拨款",
    "二、政府性基金预算财政拨款",
    "三、国有资本经营预算财政拨款",
];

// ---------------------------------------------------------------------------------------
// Export

/// Every printed 公开表 as a sheet, in the document's order.
pub fn sheets(d: &Json) -> Vec<Sheet> {
    let words = &d["words"];
    list(&d["tables"])
        .iter()
        .filter_map(|e| {
            let id = text(&e["id"]);
            let (widths, header, header_rows, body, empty) = match id.as_str() {
                "01" => t01(&d["t01"]),
                "02" => hier(&T02, &d["t02"], 30),
                "03" => hier(&T03, &d["t03"], 30),
                "04" => t04(&d["t04"]),
                "05" => hier(&T05, &d["t05"], 36),
                "06" => t06(&d["t06"]),
                "07" => t07(&d["t07"], &text(&d["meta"]["year"])),
                "08" => hier(&T08, &d["t08"], 30),
                "09" => hier(&T09, &d["t09"], 36),
                _ => return None,
            };
            let prefix = text(&words["note_prefix"]);
            let mut notes = vec![format!("{prefix}{}", text(&words[format!("note_{id}")]))];
            if empty {
                notes.push(format!("{prefix}{}", text(&words[format!("empty_{id}")])));
            }
            let code = text(&e["code"]);
            Some(Sheet {
                name: sheet_name(&code, &text(&e["title"])),
                title: text(&e["title"]),
                code: (!code.is_empty()).then_some(code),
                publisher: text(&words["publisher"]),
                unit_line: text(&e["unit_line"]),
                widths,
                header,
                header_rows,
                body,
                notes,
            })
        })
        .collect()
}

type Layout = (Vec<u16>, Vec<Span>, u32, Vec<Vec<Cell>>, bool);

fn hier(spec: &HierSpec, t: &Json, name_width: u16) -> Layout {
    let (header, rows) = hierarchy_header("功能分类科目编码", spec.columns);
    let n: usize = spec.columns.iter().map(|(_, s)| s.len().max(1)).sum();
    let mut widths = vec![6, 6, 6, name_width];
    widths.extend(std::iter::repeat_n(16, n));
    let body = hierarchy_body(&t["total"], list(&t["rows"]));
    (
        widths,
        header,
        rows,
        body,
        t["empty"].as_bool().unwrap_or(false),
    )
}

fn pair_rows(
    left: &[(String, String)],
    right: &[(String, Vec<String>)],
    right_width: usize,
) -> Vec<Vec<Cell>> {
    let n = left.len().max(right.len());
    (0..n)
        .map(|i| {
            let mut row = Vec::new();
            let (l, la) = left.get(i).cloned().unwrap_or_default();
            row.push(Cell::new(Value::label(&l)));
            row.push(Cell::new(Value::Centre((i + 1).to_string())));
            row.push(Cell::new(Value::amount(&la)));
            let (r, ra) = right.get(i).cloned().unwrap_or_default();
            row.push(Cell::new(Value::label(&r)));
            row.push(Cell::new(Value::Centre((i + 1 + n).to_string())));
            for k in 0..right_width {
                row.push(Cell::new(Value::amount(
                    ra.get(k).map_or("", String::as_str),
                )));
            }
            row
        })
        .collect()
}

fn t01(t: &Json) -> Layout {
    let classes = list(&t["classes"]);
    let mut income: Vec<(String, String)> = INCOME_01
        .iter()
        .zip(list(&t["income"]))
        .map(|(l, a)| (l.to_string(), text(a)))
        .collect();
    income.resize(classes.len().max(income.len()), Default::default());
    for (l, k) in [
        ("本年收入合计", "total_income"),
        ("使用非财政拨款结余", "non_fiscal_balance_used"),
        ("年初结转和结余", "opening"),
        ("总计", "grand_total"),
    ] {
        income.push((l.into(), text(&t[k])));
    }
    let mut spending: Vec<(String, Vec<String>)> = classes
        .iter()
        .map(|c| (text(&c["label"]), vec![text(&c["amount"])]))
        .collect();
    for (l, k) in [
        ("本年支出合计", "total_expenditure"),
        ("结余分配", "surplus_distribution"),
        ("年末结转和结余", "closing"),
        ("总计", "grand_total"),
    ] {
        spending.push((l.into(), vec![text(&t[k])]));
    }
    let header = vec![
        Span::new(0, 0, 1, 3, "收入"),
        Span::new(0, 3, 1, 3, "支出"),
        Span::new(1, 0, 1, 1, "项目"),
        Span::new(1, 1, 1, 1, "行次"),
        Span::new(1, 2, 1, 1, "决算数"),
        Span::new(1, 3, 1, 1, "项目（按功能分类）"),
        Span::new(1, 4, 1, 1, "行次"),
        Span::new(1, 5, 1, 1, "决算数"),
        Span::new(2, 0, 1, 1, "栏次"),
        Span::new(2, 1, 1, 1, ""),
        Span::new(2, 2, 1, 1, "1"),
        Span::new(2, 3, 1, 1, "栏次"),
        Span::new(2, 4, 1, 1, ""),
        Span::new(2, 5, 1, 1, "2"),
    ];
    let empty = text(&t["total_income"]) == "0.00" && text(&t["total_expenditure"]) == "0.00";
    (
        vec![34, 6, 18, 34, 6, 18],
        header,
        3,
        pair_rows(&income, &spending, 1),
        empty,
    )
}

fn t04(t: &Json) -> Layout {
    let classes = list(&t["classes"]);
    let mut income: Vec<(String, String)> = FISCAL_04
        .iter()
        .zip(list(&t["income"]))
        .map(|(l, a)| (l.to_string(), text(a)))
        .collect();
    income.resize(classes.len().max(income.len()), Default::default());
    income.push(("本年收入合计".into(), text(&t["total_income"])));
    income.push(("年初财政拨款结转和结余".into(), text(&t["opening_total"])));
    for (l, a) in FISCAL_04.iter().zip(list(&t["opening"])) {
        income.push((l.to_string(), text(a)));
    }
    income.push(("总计".into(), text(&t["grand_total"])));
    let strings = |v: &Json| list(v).iter().map(text).collect::<Vec<_>>();
    let mut spending: Vec<(String, Vec<String>)> = classes
        .iter()
        .map(|c| (text(&c["label"]), strings(&c["amounts"])))
        .collect();
    spending.push(("本年支出合计".into(), strings(&t["total_expenditure"])));
    spending.push(("年末财政拨款结转和结余".into(), strings(&t["closing"])));
    spending.extend(std::iter::repeat_n((String::new(), Vec::new()), 3));
    spending.push(("总计".into(), strings(&t["grand_total_by_kind"])));
    let mut header = vec![
        Span::new(0, 0, 1, 3, "收入"),
        Span::new(0, 3, 1, 6, "支出"),
        Span::new(1, 0, 2, 1, "项目"),
        Span::new(1, 1, 2, 1, "行次"),
        Span::new(1, 2, 2, 1, "决算数"),
        Span::new(1, 3, 2, 1, "项目"),
        Span::new(1, 4, 2, 1, "行次"),
        Span::new(1, 5, 1, 4, "决算数"),
        Span::new(2, 5, 1, 1, "合计"),
        Span::new(2, 6, 1, 1, "一般公共预算财政拨款"),
        Span::new(2, 7, 1, 1, "政府性基金预算财政拨款"),
        Span::new(2, 8, 1, 1, "国有资本经营预算财政拨款"),
    ];
    for (c, l) in ["栏次", "", "1", "栏次", "", "2", "3", "4", "5"]
        .iter()
        .enumerate()
    {
        header.push(Span::new(3, u16::try_from(c).unwrap_or(0), 1, 1, *l));
    }
    let empty = text(&t["total_income"]) == "0.00" && text(&t["opening_total"]) == "0.00";
    (
        vec![30, 6, 18, 30, 6, 18, 18, 18, 18],
        header,
        4,
        pair_rows(&income, &spending, 4),
        empty,
    )
}

fn t06(t: &Json) -> Layout {
    let cols = [
        list(&t["personnel"]),
        list(&t["public_left"]),
        list(&t["public_right"]),
    ];
    let n = cols.iter().map(|c| c.len()).max().unwrap_or(0);
    let mut body = Vec::new();
    for i in 0..n {
        let mut row = Vec::new();
        for c in cols {
            match c.get(i) {
                Some(r) => {
                    row.push(Cell::new(Value::code(&text(&r["code"]))));
                    row.push(Cell::new(Value::label(&text(&r["name"]))));
                    row.push(Cell::new(Value::amount(&text(&r["amount"]))));
                }
                None => row.extend([
                    Cell::new(Value::Empty),
                    Cell::new(Value::Empty),
                    Cell::new(Value::Empty),
                ]),
            }
        }
        body.push(row);
    }
    body.push(vec![
        Cell::spanning(Value::Centre("人员经费合计".into()), 2),
        Cell::new(Value::amount(&text(&t["personnel_total"]))),
        Cell::spanning(Value::Centre("公用经费合计".into()), 5),
        Cell::new(Value::amount(&text(&t["public_total"]))),
    ]);
    body.push(vec![
        Cell::spanning(Value::Centre("合计".into()), 8),
        Cell::new(Value::amount(&text(&t["total"]))),
    ]);
    let mut header = vec![
        Span::new(0, 0, 1, 3, "人员经费"),
        Span::new(0, 3, 1, 6, "公用经费"),
    ];
    for p in 0..3u16 {
        for (k, l) in ["科目编码", "科目名称", "金额"].iter().enumerate() {
            header.push(Span::new(
                1,
                p * 3 + u16::try_from(k).unwrap_or(0),
                1,
                1,
                *l,
            ));
        }
    }
    let empty = text(&t["total"]) == "0.00";
    (
        vec![8, 26, 16, 8, 26, 16, 8, 26, 16],
        header,
        2,
        body,
        empty,
    )
}

fn t07(t: &Json, year: &str) -> Layout {
    let mut header = vec![
        Span::new(0, 0, 1, 6, format!("{year} 年度预算数")),
        Span::new(0, 6, 1, 6, format!("{year} 年度决算数")),
    ];
    for half in [0u16, 6] {
        header.extend(three_public_header(half, "公务用车运行费"));
    }
    for c in 0..12u16 {
        header.push(Span::new(3, c, 1, 1, (c + 1).to_string()));
    }
    let body = vec![
        list(&t["budget"])
            .iter()
            .chain(list(&t["actual"]))
            .map(|a| Cell::new(Value::amount(&text(a))))
            .collect(),
    ];
    let empty = text(&t["budget"][0]).is_empty() && text(&t["actual"][0]).is_empty();
    (vec![14; 12], header, 4, body, empty)
}

// ---------------------------------------------------------------------------------------
// Import

/// The sheet of a 公开表: by its 公开 code, the 财决 code and sheet code of the finance
/// software's table it corresponds to, or its title.
fn find<'b>(book: &'b Book, id: &str) -> Option<&'b Grid> {
    let (codes, titles): (&[&str], &[&str]) = match id {
        "01" => (
            &["公开01表", "公开01", "财决01", "Z01"],
            &["收入支出决算总表"],
        ),
        "02" => (&["公开02表", "公开02", "财决03", "Z03"], &["收入决算表"]),
        "03" => (&["公开03表", "公开03", "财决04", "Z04"], &["支出决算表"]),
        "04" => (&["公开04表", "公开04"], &["财政拨款收入支出决算总表"]),
        "05" => (&["公开05表", "公开05"], &["一般公共预算财政拨款支出决算表"]),
        "06" => (
            &["公开06表", "公开06", "财决08-1", "Z08_1"],
            &[
                "一般公共预算财政拨款基本支出决算表",
                "一般公共预算财政拨款基本支出决算明细表",
            ],
        ),
        "07" => (
            &["公开07表", "公开07"],
            &[
                "财政拨款“三公”经费支出决算表",
                "财政拨款\"三公\"经费支出决算表",
            ],
        ),
        "08" => (
            &["公开08表", "公开08"],
            &["政府性基金预算财政拨款收入支出决算表"],
        ),
        "09" => (
            &["公开09表", "公开09"],
            &["国有资本经营预算财政拨款支出决算表"],
        ),
        _ => (&[], &[]),
    };
    book.sheet(codes, titles)
}

fn columns(spec: &HierSpec) -> Vec<Column> {
    let mut out = Vec::new();
    for (label, subs) in spec.columns {
        let aliases: &[&'static str] = match *label {
            "本年收入合计" => &["本年收入合计", "收入合计", "合计"],
            "财政拨款收入" => &["财政拨款收入", "财政补助收入"],
            "本年支出合计" => &["本年支出合计", "支出合计", "合计"],
            _ => std::slice::from_ref(label),
        };
        if subs.is_empty() {
            out.push(Column::one(aliases));
        } else {
            for s in *subs {
                let subs: &[&'static str] = match *s {
                    "其中：教育收费" => &["其中：教育收费", "其中:教育收费", "教育收费"],
                    _ => std::slice::from_ref(s),
                };
                out.push(Column::under(aliases, subs));
            }
        }
    }
    out
}

/// One 项 code's facts, by field path under `functional[]`.
type Facts = BTreeMap<String, BTreeMap<&'static str, (Decimal, Place)>>;

struct FinalImport<'a> {
    book: &'a Book,
    reading: Reading,
    /// 项 code → group (`income`, …) → field → amount.
    functional: BTreeMap<String, Facts>,
    names: BTreeMap<String, locate::Named>,
}

impl FinalImport<'_> {
    fn put(
        &mut self,
        code: &str,
        group: &str,
        field: &'static str,
        value: Option<(Decimal, Place)>,
    ) {
        if let Some(v) = value {
            self.functional
                .entry(code.to_string())
                .or_default()
                .entry(group.to_string())
                .or_default()
                .insert(field, v);
        }
    }

    /// Reads a 类/款/项 table into `group`'s `fields` (`None`: a derived column, checked).
    fn table(
        &mut self,
        spec: &HierSpec,
        group: &str,
        fields: &[Option<&'static str>],
        derived: &[Option<&[usize]>],
    ) {
        let Some(grid) = find(self.book, spec.id) else {
            return;
        };
        let Some(table) = locate::hierarchy(grid, &columns(spec)) else {
            self.reading.warnings.push(Diagnostic::warning(format!(
                "sheet `{}` has no 科目编码 column; its amounts were not imported",
                grid.name
            )));
            return;
        };
        for (i, c) in table.columns.iter().enumerate() {
            // A 其中 breakdown may be missing from a workbook; a main column may not.
            let breakdown = columns(spec)[i]
                .sub
                .as_ref()
                .is_some_and(|s| s.iter().any(|w| w.contains("其中")));
            if c.is_none() && fields.get(i).copied().flatten().is_some() && !breakdown {
                self.reading.warnings.push(Diagnostic::warning(format!(
                    "sheet `{}` has no column headed `{}`; nothing was imported for it",
                    grid.name,
                    columns(spec)[i]
                        .sub
                        .as_ref()
                        .and_then(|s| s.first())
                        .or(columns(spec)[i].label.first())
                        .copied()
                        .unwrap_or_default()
                )));
            }
        }
        let amounts = locate::read_hierarchy(grid, &table, derived, &mut self.reading);
        for (code, cells) in amounts.items {
            for (i, field) in fields.iter().enumerate() {
                if let Some(f) = field {
                    self.put(&code, group, f, cells.get(i).cloned().flatten());
                }
            }
        }
        for (code, named) in amounts.names.into_iter().chain(amounts.heads) {
            self.names.entry(code).or_insert(named);
        }
    }

    /// The amount on the line labelled `labels` (at or after row `from`), with its cell: the
    /// first such label with an amount or nothing to its right (a header cell with the same
    /// words has text there).
    fn line(&mut self, grid: &Grid, labels: &[&str], from: u32) -> (Option<(Decimal, Place)>, u32) {
        let mut at = from;
        while let Some((r, c)) = locate::label(grid, labels, at) {
            let col = locate::amount_right_of(grid, r, c, &["决算数", "决算", "金额"]);
            if let Some(col) = col
                && grid.amount(r, col).is_ok()
            {
                return (self.reading.amount(grid, r, col), r);
            }
            at = r + 1;
        }
        (None, from)
    }
}

/// Sum of one field over every 项.
fn total(functional: &BTreeMap<String, Facts>, group: &str, fields: &[&str]) -> Decimal {
    functional
        .values()
        .filter_map(|g| g.get(group))
        .flat_map(|f| fields.iter().filter_map(|k| f.get(k)))
        .map(|(v, _)| *v)
        .sum()
}

pub fn import(book: &Book, options: &ImportOptions) -> Option<Result<Imported, Diagnostics>> {
    let ids = ["01", "02", "03", "04", "05", "06", "07", "08", "09"];
    if !ids.iter().any(|id| find(book, id).is_some()) {
        return None;
    }
    Some(run(book, options))
}

fn run(book: &Book, options: &ImportOptions) -> Result<Imported, Diagnostics> {
    let id = locate::identity(book);
    let mut im = FinalImport {
        book,
        reading: Reading::default(),
        functional: BTreeMap::new(),
        names: BTreeMap::new(),
    };
    let s = |v: &'static str| Some(v);
    im.table(
        &T02,
        "income",
        &[
            None,
            s("general_budget"),
            s("superior_subsidy"),
            s("business"),
            s("business_education_fees"),
            s("operating"),
            s("affiliated"),
            s("other"),
        ],
        &[
            Some(&[1, 2, 3, 5, 6, 7]),
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ],
    );
    im.table(
        &T03,
        "expenditure",
        &[
            None,
            s("basic"),
            s("project"),
            s("remit_to_superior"),
            s("operating"),
            s("subsidy_to_affiliated"),
        ],
        &[Some(&[1, 2, 3, 4, 5]), None, None, None, None, None],
    );
    im.table(
        &T05,
        "general_budget",
        &[None, s("basic"), s("project")],
        &[Some(&[1, 2]), None, None],
    );
    im.table(
        &T08,
        "government_fund",
        &[
            s("opening_balance"),
            s("income"),
            None,
            s("basic"),
            s("project"),
            None,
        ],
        &[None, None, Some(&[3, 4]), None, None, Some(&[])],
    );
    im.table(
        &T09,
        "state_capital",
        &[None, s("basic"), s("project")],
        &[Some(&[1, 2]), None, None],
    );
    split_fiscal_income(&mut im);

    let mut root = Node::map();
    let mut errors = Diagnostics::default();
    let year = locate::identity_lines(&mut root, "final-accounts", &id, options.year, &mut errors);
    root.set(
        "overview",
        locate::placeholders(&[("duties", "部门职责"), ("organization", "机构设置")]),
    );
    let mut catalogs = options.catalogs.clone();
    catalogs.year = year;
    let mut catalog = Node::map();
    for (code, (name, place, code_place)) in &im.names {
        locate::catalog_name(
            (code, name, place, code_place),
            &catalogs,
            options.new_codes,
            &mut catalog,
            &mut im.reading,
        );
    }
    root.set("catalog", catalog);
    let mut rows = Vec::new();
    let mut facts = 0;
    for (code, groups) in &im.functional {
        let mut row = Node::map();
        row.set("code", Node::text(code));
        for (group, fields) in groups {
            for (field, (v, place)) in fields {
                row.child(group).set(field, Node::amount(*v, place));
                facts += 1;
            }
        }
        rows.push(row);
    }
    root.set("functional", Node::List(rows));
    facts += balances(&mut im, &mut root);
    facts += economic(&mut im, &mut root, &mut errors);
    facts += three_public(&mut im, &mut root);
    let missing: Vec<String> = ["01", "02", "03", "04", "05", "06", "07", "08", "09"]
        .iter()
        .filter(|id| find(book, id).is_none())
        .map(|id| format!("公开{id}表"))
        .collect();
    if !missing.is_empty() {
        im.reading.warnings.push(
            Diagnostic::warning(format!(
                "the workbook has no sheet for {}; their facts were not imported",
                missing.join(", ")
            ))
            .hint(
                "type those facts in the new project, or export a workbook that has those tables",
            ),
        );
    }
    errors.extend(std::mem::take(&mut im.reading.errors));
    if errors.has_errors() {
        return Err(errors);
    }
    let source = book.file_name();
    let header = crate::workbook::project::header(
        &source,
        &format!(
            ".\n# Each fact names the cell it came from; texts marked {PLACEHOLDER} are yours to write.\n# 合计, 类 and 款 rows and every total are derived by budgetdoc, not typed.\n\n"
        ),
    );
    Ok(Imported {
        files: vec![(
            crate::load::PROJECT_FILE.to_string(),
            header + &root.to_yaml(),
        )],
        warnings: im.reading.warnings,
        located: im.reading.located,
        facts,
    })
}

/// 02表's 财政拨款收入 is the three kinds' income together: what 08表 shows as 政府性基金
/// 本年收入 is that kind's, the rest 一般公共预算 (no table shows 国有资本经营 income by 项).
fn split_fiscal_income(im: &mut FinalImport) {
    let codes: Vec<String> = im.functional.keys().cloned().collect();
    for code in codes {
        let Some(groups) = im.functional.get_mut(&code) else {
            continue;
        };
        let fund = groups
            .get("government_fund")
            .and_then(|g| g.get("income"))
            .map(|(v, _)| *v);
        let capital = groups.contains_key("state_capital");
        let Some(income) = groups.get_mut("income") else {
            continue;
        };
        if let Some(fund) = fund
            && let Some((fiscal, place)) = income.get("general_budget").cloned()
        {
            let rest = fiscal - fund;
            income.insert("government_fund", (fund, place.clone()));
            if rest.is_zero() {
                income.remove("general_budget");
            } else {
                income.insert("general_budget", (rest, place));
            }
        }
        if capital && let Some((_, place)) = income.get("general_budget") {
            im.reading.warnings.push(
                Diagnostic::warning(format!(
                    "{place}: code {code} has 国有资本经营 spending; its 财政拨款收入 was imported as 一般公共预算 (no table splits it)"
                ))
                .path(place.to_string())
                .hint("move the 国有资本经营 part to `income.state_capital` if there is one"),
            );
        }
    }
}

/// 01表's balances and 04表's 年初财政拨款结转和结余, and the check of the lines derived.
fn balances(im: &mut FinalImport, root: &mut Node) -> usize {
    let mut facts = 0;
    let mut node = Node::map();
    if let Some(grid) = find(im.book, "01") {
        for (field, label) in [
            ("opening", "年初结转和结余"),
            ("non_fiscal_balance_used", "使用非财政拨款结余"),
            ("surplus_distribution", "结余分配"),
        ] {
            if let (Some((v, place)), _) = im.line(grid, &[label], 0) {
                node.set(field, Node::amount(v, &place));
                facts += 1;
            }
        }
        let f = &im.functional;
        let sums = [
            total(f, "income", &["general_budget"]),
            total(f, "income", &["government_fund"]),
            total(f, "income", &["state_capital"]),
            total(f, "income", &["superior_subsidy"]),
            total(f, "income", &["business"]),
            total(f, "income", &["operating"]),
            total(f, "income", &["affiliated"]),
            total(f, "income", &["other"]),
        ];
        for (label, sum) in INCOME_01.iter().zip(sums) {
            let (stated, _) = im.line(grid, &[label, &locate::without_ordinal(label)], 0);
            im.reading.check(stated, sum, label);
        }
        let income: Decimal = sums.iter().sum();
        let (stated, _) = im.line(grid, &["本年收入合计"], 0);
        im.reading.check(stated, income, "本年收入合计");
        let spent = total(
            &im.functional,
            "expenditure",
            &[
                "basic",
                "project",
                "remit_to_superior",
                "operating",
                "subsidy_to_affiliated",
            ],
        );
        let (stated, _) = im.line(grid, &["本年支出合计"], 0);
        im.reading.check(stated, spent, "本年支出合计");
        for class in crate::catalog::functional_codes().filter(|c| c.len() == 3) {
            let Some(name) = crate::catalog::functional_name(class) else {
                continue;
            };
            let (stated, _) = im.line(grid, &[name], 0);
            let sum = im
                .functional
                .iter()
                .filter(|(c, _)| c.starts_with(class))
                .filter_map(|(_, g)| g.get("expenditure"))
                .flat_map(|f| f.values())
                .map(|(v, _)| *v)
                .sum();
            im.reading.check(stated, sum, name);
        }
        let value = |n: &Node, k: &str| -> Decimal {
            match n {
                Node::Map(e) => e
                    .iter()
                    .find(|(key, _)| key == k)
                    .and_then(|(_, v)| match v {
                        Node::Scalar { text, .. } => text.parse().ok(),
                        _ => None,
                    })
                    .unwrap_or_default(),
                _ => Decimal::ZERO,
            }
        };
        let opening = value(&node, "opening");
        let used = value(&node, "non_fiscal_balance_used");
        let distributed = value(&node, "surplus_distribution");
        let grand = income + used + opening;
        let (stated, row) = im.line(grid, &["总计"], 0);
        im.reading.check(stated, grand, "总计 (收入)");
        let (stated, _) = im.line(grid, &["年末结转和结余"], 0);
        im.reading
            .check(stated, grand - spent - distributed, "年末结转和结余");
        // The 支出 side's 总计 is on the same row, in the second panel.
        if let Some((r, c)) = locate::label(grid, &["总计"], row + 1).or_else(|| {
            let (_, width) = grid.extent();
            (1..width)
                .find(|&c| normal(&grid.text(row, c)) == "总计")
                .map(|c| (row, c))
        }) {
            let stated = locate::amount_right_of(grid, r, c, &["决算数", "决算", "金额"])
                .and_then(|col| im.reading.amount(grid, r, col));
            im.reading.check(stated, grand, "总计 (支出)");
        }
    }
    if let Some(grid) = find(im.book, "04") {
        if let Some((r, _)) = locate::label(grid, &["年初财政拨款结转和结余"], 0) {
            let mut fiscal = Node::map();
            let mut sum = Decimal::ZERO;
            for (field, label) in ["general_budget", "government_fund", "state_capital"]
                .iter()
                .zip(FISCAL_04)
            {
                if let (Some((v, place)), _) =
                    im.line(grid, &[label, &locate::without_ordinal(label)], r + 1)
                {
                    fiscal.set(field, Node::amount(v, &place));
                    sum += v;
                    facts += 1;
                }
            }
            let (stated, _) = im.line(grid, &["年初财政拨款结转和结余"], 0);
            im.reading.check(stated, sum, "年初财政拨款结转和结余");
            node.set("fiscal_opening", fiscal);
        }
        let f = &im.functional;
        let sums = [
            total(f, "income", &["general_budget"]),
            total(f, "income", &["government_fund"]),
            total(f, "income", &["state_capital"]),
        ];
        for (label, sum) in FISCAL_04.iter().zip(sums) {
            let (stated, _) = im.line(grid, &[label, &locate::without_ordinal(label)], 0);
            im.reading.check(stated, sum, label);
        }
    }
    root.set("balances", node);
    facts
}

/// 06表: 基本支出 by 经济分类 款 code; 类 rows and the totals are checked.
fn economic(im: &mut FinalImport, root: &mut Node, errors: &mut Diagnostics) -> usize {
    let Some(grid) = find(im.book, "06") else {
        return 0;
    };
    let (height, width) = grid.extent();
    let mut items: BTreeMap<String, (Decimal, Place)> = BTreeMap::new();
    let mut classes: Vec<(String, Option<(Decimal, Place)>)> = Vec::new();
    for r in 0..height {
        for c in 0..width {
            let t = grid.text(r, c);
            // A code is text, or a number with its name (text) beside it; an amount is neither.
            let named = grid.is_text(r, c)
                || (grid.is_text(r, c + 1)
                    && locate::without_ordinal(&grid.text(r, c + 1))
                        .parse::<f64>()
                        .is_err());
            let is_code = named
                && (t.len() == 5 || t.len() == 3)
                && t.starts_with('3')
                && t.chars().all(|ch| ch.is_ascii_digit());
            if !is_code {
                continue;
            }
            let col = locate::amount_right_of(grid, r, c, &["金额", "决算数", "决算", "合计"]);
            let value = col.and_then(|col| im.reading.amount(grid, r, col));
            if t.len() == 3 {
                classes.push((t, value));
                continue;
            }
            if crate::catalog::economic_name(&t).is_none() {
                let place = grid.place(r, c);
                errors.push(
                    Diagnostic::error(format!("{place}: 经济分类 code {t} is in no catalog"))
                        .path(place.to_string())
                        .hint("use the 经济分类 款 codes of the national catalog"),
                );
            }
            if let Some(v) = value {
                items.insert(t, v);
            }
        }
    }
    for (class, stated) in classes {
        let sum = items
            .iter()
            .filter(|(c, _)| c.starts_with(&class))
            .map(|(_, (v, _))| *v)
            .sum();
        im.reading
            .check(stated, sum, &format!("the row of {class}"));
    }
    let block = |personnel: bool| -> Decimal {
        items
            .iter()
            .filter(|(c, _)| {
                let class = &c[..3];
                matches!(
                    crate::catalog::economic_block(class),
                    Some(crate::catalog::EconomicBlock::Personnel)
                ) == personnel
            })
            .map(|(_, (v, _))| *v)
            .sum()
    };
    let (personnel, public) = (block(true), block(false));
    for (label, sum) in [
        ("人员经费合计", personnel),
        ("公用经费合计", public),
        ("合计", personnel + public),
    ] {
        if let Some((r, c)) = locate::label(grid, &[label], 0) {
            let stated = locate::amount_right_of(grid, r, c, &["金额", "决算数", "合计"])
                .and_then(|col| im.reading.amount(grid, r, col));
            im.reading.check(stated, sum, label);
        }
    }
    let mut node = Node::map();
    for (code, (v, place)) in &items {
        node.set(code, Node::amount(*v, place));
    }
    root.set("basic_by_economic", node);
    items.len()
}

/// 07表: the 三公 items of the 预算数 and 决算数 halves; 合计 and 小计 are checked.
fn three_public(im: &mut FinalImport, root: &mut Node) -> usize {
    let Some(grid) = find(im.book, "07") else {
        return 0;
    };
    let (height, width) = grid.extent();
    let halves: Vec<(&str, u32, u32, u32)> = ["预算数", "决算数"]
        .iter()
        .filter_map(|word| {
            (0..height.min(24))
                .flat_map(|r| (0..width).map(move |c| (r, c)))
                .find(|&(r, c)| normal(&grid.text(r, c)).contains(word))
                .map(|(r, c)| {
                    let reg = grid.region(r, c);
                    (
                        if *word == "预算数" {
                            "budget"
                        } else {
                            "actual"
                        },
                        reg.end.0,
                        reg.start.1,
                        reg.end.1,
                    )
                })
        })
        .collect();
    let mut facts = 0;
    let mut node = Node::map();
    for (key, below, lo, hi) in halves {
        if let Some((half, n)) = locate::three_public_block(grid, below, lo, hi, &mut im.reading) {
            node.set(key, half);
            facts += n;
        }
    }
    root.set("three_public", node);
    facts
}
