//! `build --xlsx` and `import`: the tables as a workbook and back. The round trip of every
//! example gives the same table facts and the same printed tables; bad workbooks fail with
//! the sheet and cell, writing nothing.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;
use serde_yaml::Value;

use crate::support::{run, stderr};

/// Every amount under `v`, flattened to `prefix.key.key` paths; lists of rows with a
/// `code` are keyed by the code, so the order of rows does not matter.
fn flatten(prefix: &str, v: &Value, out: &mut BTreeMap<String, Decimal>) {
    match v {
        Value::Mapping(m) => {
            for (k, v) in m {
                let key = match k {
                    Value::String(s) => s.clone(),
                    other => serde_yaml::to_string(other).unwrap().trim().to_string(),
                };
                if key == "name" {
                    continue;
                }
                flatten(&format!("{prefix}.{key}"), v, out);
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                let id = item
                    .get("code")
                    .and_then(Value::as_str)
                    .map_or(i.to_string(), str::to_string);
                flatten(&format!("{prefix}[{id}]"), item, out);
            }
        }
        Value::Number(n) => {
            out.insert(prefix.to_string(), n.to_string().parse().unwrap());
        }
        _ => {}
    }
}

fn yaml(path: &Path) -> Value {
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The facts the tables print, by path: which keys of a project are table facts is the
/// kind's (`keys`).
fn facts(project: &Path, keys: &[&str]) -> BTreeMap<String, Decimal> {
    let main = yaml(&project.join("budgetdoc.yaml"));
    let mut out = BTreeMap::new();
    for key in keys {
        if let Some(v) = main.get(*key) {
            flatten(key, v, &mut out);
        }
    }
    // The forms' typed funds (their parts: the totals a form may also type are derived)
    // and 项目总额, form by form in file order.
    let mut forms: Vec<_> = std::fs::read_dir(project.join("targets"))
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    forms.sort();
    for (i, form) in forms.iter().enumerate() {
        let v = yaml(form);
        for part in ["fiscal", "other", "carryover", "central", "regional"] {
            if let Some(a) = v["funds"].get(part) {
                flatten(&format!("targets[{i}].funds.{part}"), a, &mut out);
            }
        }
        if let Some(a) = v.get("project_total") {
            flatten(&format!("targets[{i}].project_total"), a, &mut out);
        }
    }
    out
}

/// Export → import → export: the new project's printed tables (every sheet, cell for cell)
/// equal the example's, and its table facts are the example's.
fn round_trip(example: &str, keys: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.xlsx");
    let imported = dir.path().join("imported");
    crate::support::export_workbook(example, &first);
    let o = run(&[
        "import",
        first.to_str().unwrap(),
        "-o",
        imported.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let original = budgetdoc::check(Path::new(example)).unwrap_or_else(|e| panic!("{e:?}"));
    let again = budgetdoc::check(&imported).unwrap_or_else(|e| panic!("{}\n{e:?}", stderr(&o)));
    let (a, b) = (original.document.sheets(), again.document.sheets());
    assert!(!a.is_empty());
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "sheet `{}` differs after the round trip", x.name);
    }
    let expected = facts(Path::new(example), keys);
    let got = facts(&imported, keys);
    assert!(!expected.is_empty());
    assert_eq!(expected, got, "the table facts differ after the round trip");
    // Every fact names the cell it came from.
    let mut text = std::fs::read_to_string(imported.join("budgetdoc.yaml")).unwrap();
    if let Ok(forms) = std::fs::read_dir(imported.join("targets")) {
        for f in forms.filter_map(Result::ok) {
            text += &std::fs::read_to_string(f.path()).unwrap();
        }
    }
    let amounts = text
        .lines()
        .filter(|l| l.contains("  # ") && l.contains('!'))
        .count();
    assert!(
        amounts >= got.len(),
        "{amounts} commented facts for {} facts",
        got.len()
    );
}

#[test]
fn the_final_accounts_example_round_trips_through_a_workbook() {
    round_trip(
        "examples/nx-hrss-2024-final",
        &[
            "functional",
            "balances",
            "basic_by_economic",
            "three_public",
        ],
    );
}

#[test]
fn the_budget_example_round_trips_through_a_workbook() {
    round_trip(
        "examples/zhongwei-hrss-2024-budget",
        &[
            "units",
            "basic_by_economic",
            "three_public",
            "income",
            "expenditure",
        ],
    );
}

#[test]
fn the_regional_targets_example_round_trips_through_a_workbook() {
    round_trip("examples/nx-employment-2024-targets", &[]);
}

#[test]
fn the_county_targets_example_round_trips_through_a_workbook() {
    round_trip("examples/yongning-employment-2024-targets", &[]);
}

#[test]
fn the_same_input_gives_the_same_workbook_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
    for out in [&a, &b] {
        crate::support::export_workbook("examples/nx-hrss-2024-final", out);
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

/// The 部门决算报表软件's layout, as far as it is known (../shared/design
/// anchors-preview-ci-excel.md §2.1): one sheet per 财决 table named `<code> <title>(财决NN表)`,
/// cut at 31 characters; Z01 in three panels of 项目, 行次, 年初预算数, 全年预算数 and 决算数;
/// `编制单位：…` in A3; 科目编码 merged over A:C; `—` where nothing applies.
mod finance_software {
    use rust_decimal::Decimal;
    use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet};

    /// The facts written (项 code or "", key path, value) and every amount cell the
    /// import must read.
    pub struct Expect {
        pub facts: Vec<(String, String, Decimal)>,
        pub amount_cells: Vec<String>,
    }

    #[derive(Clone, Copy, PartialEq)]
    pub enum Twist {
        None,
        TextInAmount,
        FormulaWithoutValue,
        UnknownCode,
    }

    fn cell(sheet: &str, row: u32, col: u16) -> String {
        let letter = char::from(b'A' + u8::try_from(col).unwrap());
        format!("{sheet}!{letter}{}", row + 1)
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// The 项 rows: code, name, income (财政拨款, 事业, 其他), spending (基本, 项目).
    #[allow(clippy::type_complexity)]
    const ITEMS: [(&str, &str, [&str; 3], [&str; 2]); 3] = [
        (
            "2080101",
            "行政运行",
            ["1200000.25", "", "3000"],
            ["1150000", ""],
        ),
        (
            "2080799",
            "其他就业补助支出",
            ["800000", "45678.9", ""],
            ["", "790000.5"],
        ),
        ("2210201", "住房公积金", ["96000", "", ""], ["96000", ""]),
    ];

    fn sum<'a>(values: impl Iterator<Item = &'a str>) -> Decimal {
        values.filter(|v| !v.is_empty()).map(d).sum()
    }

    pub fn write(path: &std::path::Path, twist: Twist) -> Expect {
        let mut book = Workbook::new();
        let mut expect = Expect {
            facts: Vec::new(),
            amount_cells: Vec::new(),
        };
        let z01 = "Z01 收入支出决算总表(财决01表)";
        let z03 = "Z03 收入决算表(财决03表)";
        let z04 = "Z04 支出决算表(财决04表)";
        let z08 = "Z08_1 一般公共预算财政拨款基本支出决算明细表(财决08-";
        let plain = Format::new();
        // Z03: 收入决算表.
        {
            let ws = book.add_worksheet();
            ws.set_name(z03).unwrap();
            head(ws, "收入决算表");
            let labels = [
                "本年收入合计",
                "财政拨款收入",
                "上级补助收入",
                "事业收入",
                "经营收入",
                "附属单位上缴收入",
                "其他收入",
            ];
            ws.merge_range(4, 0, 4, 3, "项目", &plain).unwrap();
            ws.merge_range(5, 0, 5, 2, "科目编码", &plain).unwrap();
            ws.write(5, 3, "科目名称").unwrap();
            for (i, l) in (4u16..).zip(labels) {
                ws.merge_range(4, i, 5, i, l, &plain).unwrap();
            }
            ws.merge_range(6, 0, 6, 2, "", &plain).unwrap();
            ws.write(6, 3, "合计").unwrap();
            number(
                ws,
                &mut expect,
                z03,
                6,
                4,
                sum(ITEMS.iter().flat_map(|i| i.2)),
            );
            for (r, (code, name, income, _)) in (7u32..).zip(ITEMS) {
                let code = if twist == Twist::UnknownCode && code == "2210201" {
                    "2219977"
                } else {
                    code
                };
                ws.merge_range(r, 0, r, 2, code, &plain).unwrap();
                ws.write(r, 3, name).unwrap();
                number(ws, &mut expect, z03, r, 4, sum(income.into_iter()));
                for ((value, col), field) in income.iter().zip([5u16, 7, 10]).zip([
                    "income.general_budget",
                    "income.business",
                    "income.other",
                ]) {
                    if value.is_empty() {
                        ws.write(r, col, "—").unwrap();
                        continue;
                    }
                    if twist == Twist::TextInAmount && code == "2080799" && col == 5 {
                        ws.write(r, col, "八十万").unwrap();
                    } else if twist == Twist::FormulaWithoutValue && code == "2080101" && col == 5 {
                        // The result is removed from the file afterwards (`strip_results`).
                        ws.write_formula(
                            r,
                            col,
                            Formula::new("=1200000.25+0").set_result("987654321"),
                        )
                        .unwrap();
                    } else {
                        number(ws, &mut expect, z03, r, col, d(value));
                    }
                    expect.facts.push((code.into(), field.into(), d(value)));
                }
                for col in [6u16, 8, 9] {
                    ws.write(r, col, "—").unwrap();
                }
            }
        }
        // Z04: 支出决算表, with a 类 row the tool derives (checked against its 项).
        {
            let ws = book.add_worksheet();
            ws.set_name(z04).unwrap();
            head(ws, "支出决算表");
            let labels = [
                "本年支出合计",
                "基本支出",
                "项目支出",
                "上缴上级支出",
                "经营支出",
                "对附属单位补助支出",
            ];
            ws.merge_range(4, 0, 4, 3, "项目", &plain).unwrap();
            ws.merge_range(5, 0, 5, 2, "科目编码", &plain).unwrap();
            ws.write(5, 3, "科目名称").unwrap();
            for (i, l) in (4u16..).zip(labels) {
                ws.merge_range(4, i, 5, i, l, &plain).unwrap();
            }
            ws.merge_range(6, 0, 6, 2, "208", &plain).unwrap();
            ws.write(6, 3, "社会保障和就业支出").unwrap();
            let class = sum(ITEMS
                .iter()
                .filter(|i| i.0.starts_with("208"))
                .flat_map(|i| i.3));
            number(ws, &mut expect, z04, 6, 4, class);
            for (r, (code, name, _, spending)) in (7u32..).zip(ITEMS) {
                ws.merge_range(r, 0, r, 2, code, &plain).unwrap();
                ws.write(r, 3, name).unwrap();
                number(ws, &mut expect, z04, r, 4, sum(spending.into_iter()));
                for ((value, col), field) in spending
                    .iter()
                    .zip([5u16, 6])
                    .zip(["expenditure.basic", "expenditure.project"])
                {
                    if value.is_empty() {
                        ws.write(r, col, "—").unwrap();
                    } else {
                        number(ws, &mut expect, z04, r, col, d(value));
                        expect.facts.push((code.into(), field.into(), d(value)));
                    }
                }
            }
        }
        // Z08_1: 基本支出 by 经济分类, its name cut at 31 characters.
        {
            let ws = book.add_worksheet();
            ws.set_name(z08).unwrap();
            head(ws, "一般公共预算财政拨款基本支出决算明细表");
            ws.write(4, 0, "科目编码").unwrap();
            ws.write(4, 1, "科目名称").unwrap();
            ws.write(4, 2, "决算数").unwrap();
            let rows = [
                ("301", "工资福利支出", "1246000"),
                ("30101", "基本工资", "1150000"),
                ("30113", "住房公积金", "96000"),
            ];
            for (r, (code, name, v)) in (5u32..).zip(rows) {
                ws.write(r, 0, code).unwrap();
                ws.write(r, 1, name).unwrap();
                number(ws, &mut expect, z08, r, 2, d(v));
                if code.len() == 5 {
                    expect.facts.push((String::new(), code.into(), d(v)));
                }
            }
        }
        // Z01: three panels; the 年初/全年预算数 columns are not facts of the 公开表.
        {
            let ws = book.add_worksheet();
            ws.set_name(z01).unwrap();
            ws.merge_range(0, 0, 0, 14, "收入支出决算总表", &plain)
                .unwrap();
            ws.write(2, 0, "编制单位：测试市人力资源和社会保障局")
                .unwrap();
            ws.write(2, 6, "报表期间：2024年").unwrap();
            ws.write(2, 14, "单位：元").unwrap();
            for (c, title) in [0u16, 5, 10]
                .into_iter()
                .zip(["收入", "支出", "支出（按经济分类）"])
            {
                ws.merge_range(3, c, 3, c + 4, title, &plain).unwrap();
                for (k, h) in (c..).zip(["项目", "行次", "年初预算数", "全年预算数", "决算数"])
                {
                    ws.write(4, k, h).unwrap();
                }
            }
            let column = |k: usize| sum(ITEMS.iter().map(|i| i.2[k]));
            let income = sum(ITEMS.iter().flat_map(|i| i.2));
            let spent = sum(ITEMS.iter().flat_map(|i| i.3));
            let opening = d("250000");
            let social = sum(ITEMS
                .iter()
                .filter(|i| i.0.starts_with("208"))
                .flat_map(|i| i.3));
            let housing = sum(ITEMS
                .iter()
                .filter(|i| i.0.starts_with("221"))
                .flat_map(|i| i.3));
            let lines: [(&str, Option<Decimal>, &str, Option<Decimal>); 6] = [
                (
                    "一、一般公共预算财政拨款收入",
                    Some(column(0)),
                    "八、社会保障和就业支出",
                    Some(social),
                ),
                (
                    "五、事业收入",
                    Some(column(1)),
                    "二十、住房保障支出",
                    Some(housing),
                ),
                ("八、其他收入", Some(column(2)), "本年支出合计", Some(spent)),
                ("本年收入合计", Some(income), "结余分配", None),
                (
                    "年初结转和结余",
                    Some(opening),
                    "年末结转和结余",
                    Some(income + opening - spent),
                ),
                (
                    "总计",
                    Some(income + opening),
                    "总计",
                    Some(income + opening),
                ),
            ];
            for ((r, n), (l, a, rl, b)) in (5u32..).zip(1u32..).zip(lines) {
                ws.write(r, 0, l).unwrap();
                ws.write(r, 1, n).unwrap();
                ws.write(r, 2, 1_000_000).unwrap();
                ws.write(r, 3, 1_100_000).unwrap();
                ws.write(r, 5, rl).unwrap();
                ws.write(r, 6, n + 6).unwrap();
                for (value, col) in [(a, 4u16), (b, 9)] {
                    match value {
                        Some(v) => number(ws, &mut expect, z01, r, col, v),
                        None => {
                            ws.write(r, col, "—").unwrap();
                        }
                    }
                }
                if l == "年初结转和结余" {
                    expect
                        .facts
                        .push((String::new(), "balances.opening".into(), opening));
                }
            }
        }
        book.save(path).unwrap();
        if twist == Twist::FormulaWithoutValue {
            strip_results(path, "987654321");
        }
        expect
    }

    /// Rewrites the workbook so that formulas whose stored result is `marker` have none,
    /// as a workbook written by a program that never calculates them.
    fn strip_results(path: &std::path::Path, marker: &str) {
        crate::support::rewrite_xml(path, |_, text| {
            text.replace(&format!("<v>{marker}</v>"), "")
        });
    }

    fn head(ws: &mut Worksheet, title: &str) {
        ws.write(0, 0, title).unwrap();
        ws.write(2, 0, "编制单位：测试市人力资源和社会保障局")
            .unwrap();
        ws.write(2, 6, "单位：元").unwrap();
    }

    fn number(ws: &mut Worksheet, expect: &mut Expect, sheet: &str, r: u32, c: u16, v: Decimal) {
        ws.write(r, c, v.to_string().parse::<f64>().unwrap())
            .unwrap();
        expect.amount_cells.push(cell(sheet, r, c));
    }
}

/// The imported project's amount at a YAML path (`functional` rows by code).
fn imported_amount(project: &Path, code: &str, field: &str) -> Option<Decimal> {
    let v = yaml(&project.join("budgetdoc.yaml"));
    let mut node = if code.is_empty() {
        v.clone()
    } else {
        v["functional"]
            .as_sequence()?
            .iter()
            .find(|r| r["code"].as_str() == Some(code))?
            .clone()
    };
    let path: Vec<&str> = if code.is_empty() && field.chars().all(|c| c.is_ascii_digit()) {
        vec!["basic_by_economic", field]
    } else {
        field.split('.').collect()
    };
    for k in path {
        node = node.get(k)?.clone();
    }
    let mut out = BTreeMap::new();
    flatten("", &node, &mut out);
    out.into_values().next()
}

#[test]
fn a_finance_software_workbook_imports_with_every_amount_located() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("测试市人力资源和社会保障局.xlsx");
    let expect = finance_software::write(&book, finance_software::Twist::None);
    let project = dir.path().join("p");
    let checked =
        budgetdoc::import(&book, None, &Default::default()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(checked.0, "final-accounts");
    let located: Vec<String> = checked.1.located.iter().map(ToString::to_string).collect();
    for cell in &expect.amount_cells {
        assert!(
            located.contains(cell),
            "{cell} was not read; read: {located:?}"
        );
    }
    // The one warning: the tables this workbook does not have (05, 07, … are not known
    // from the finance software's exports).
    let warnings: Vec<&str> = checked
        .1
        .warnings
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        warnings,
        [
            "the workbook has no sheet for 公开04表, 公开05表, 公开07表, 公开08表, 公开09表; their facts were not imported"
        ]
    );
    let o = run(&[
        "import",
        book.to_str().unwrap(),
        "-o",
        project.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (code, field, value) in &expect.facts {
        let got = imported_amount(&project, code, field);
        assert_eq!(got, Some(*value), "{code} {field}");
    }
    let text = std::fs::read_to_string(project.join("budgetdoc.yaml")).unwrap();
    assert!(
        text.contains("department: \"测试市人力资源和社会保障局\""),
        "{text}"
    );
    assert!(text.contains("year: 2024"), "{text}");
    assert!(text.contains("# Z03 收入决算表(财决03表)!F8"), "{text}");
    assert!(
        text.contains("Z08_1 一般公共预算财政拨款基本支出决算明细表(财决08-!C7"),
        "{text}"
    );
    // What the missing 05表 would have given is missing in the new project, and `check`
    // says so: 06表's 基本支出 has no 05表 counterpart.
    let o = run(&["check", project.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error[F15]: 06表 基本支出 by 经济分类 sums to 1246000 but 05表"),
        "{}",
        stderr(&o)
    );
}

/// `import` of a bad workbook: exit 1, the cell named, nothing written.
fn assert_refused(book: &Path, extra: &[&str], needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    let mut args = vec![
        "import",
        book.to_str().unwrap(),
        "-o",
        project.to_str().unwrap(),
    ];
    args.extend(extra);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(needle),
        "`{needle}` not in:\n{}",
        stderr(&o)
    );
    assert!(!project.exists(), "nothing may be written");
}

#[test]
fn bad_workbooks_are_refused_naming_the_cell_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let twisted = |name: &str, twist| {
        let p = dir.path().join(name);
        finance_software::write(&p, twist);
        p
    };
    let text = twisted("text.xlsx", finance_software::Twist::TextInAmount);
    assert_refused(
        &text,
        &[],
        "Z03 收入决算表(财决03表)!F9: text `八十万` where an amount belongs",
    );
    let formula = twisted("formula.xlsx", finance_software::Twist::FormulaWithoutValue);
    assert_refused(
        &formula,
        &[],
        "Z03 收入决算表(财决03表)!F8: a formula with no calculated value",
    );
    let unknown = twisted("unknown.xlsx", finance_software::Twist::UnknownCode);
    assert_refused(
        &unknown,
        &[],
        "Z03 收入决算表(财决03表)!A10: 科目 code 2219977 is in no catalog",
    );
    // The same workbook with the names taken from it.
    let project = dir.path().join("named");
    let o = run(&[
        "import",
        unknown.to_str().unwrap(),
        "-o",
        project.to_str().unwrap(),
        "--new-codes",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let yaml = std::fs::read_to_string(project.join("budgetdoc.yaml")).unwrap();
    assert!(
        yaml.contains("\"2219977\": \"住房公积金\"  # Z03 收入决算表(财决03表)!D10"),
        "{yaml}"
    );

    let not_a_book = dir.path().join("notes.xlsx");
    std::fs::write(&not_a_book, "这不是工作簿").unwrap();
    assert_refused(&not_a_book, &[], "is not an Excel workbook");
    let missing = dir.path().join("missing.xlsx");
    assert_refused(&missing, &[], "cannot read workbook");
    // A workbook whose sheets are none of the tables.
    let other = dir.path().join("other.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet()
        .set_name("人员名单")
        .unwrap()
        .write(0, 0, "姓名")
        .unwrap();
    book.save(&other).unwrap();
    assert_refused(
        &other,
        &[],
        "holds none of the tables budgetdoc reads (sheets: `人员名单`)",
    );
    // A 决算 workbook is not a 预算.
    assert_refused(&text, &["--kind", "budget"], "holds none of the tables");
    // Warnings (here: the tables the workbook lacks) fail the import when denied.
    let plain = twisted("plain.xlsx", finance_software::Twist::None);
    assert_refused(&plain, &["--deny-warnings"], "warnings are denied");
}

#[test]
fn import_into_a_non_empty_directory_is_refused_and_nothing_is_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("a.xlsx");
    crate::support::export_workbook("examples/nx-hrss-2024-final", &book);
    let project = dir.path().join("p");
    std::fs::create_dir(&project).unwrap();
    std::fs::write(project.join("budgetdoc.yaml"), "kind: final-accounts\n").unwrap();
    let o = run(&[
        "import",
        book.to_str().unwrap(),
        "-o",
        project.to_str().unwrap(),
    ]);
    // A directory that holds anything is refused before the workbook is read.
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not empty"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(project.join("budgetdoc.yaml")).unwrap(),
        "kind: final-accounts\n"
    );
    assert_eq!(std::fs::read_dir(&project).unwrap().count(), 1);
    // A file in the way of the project is refused too; an empty directory is taken.
    let file = dir.path().join("f");
    std::fs::write(&file, "x").unwrap();
    let o = run(&[
        "import",
        book.to_str().unwrap(),
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = run(&[
        "import",
        book.to_str().unwrap(),
        "-o",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(empty.join("budgetdoc.yaml").is_file());
}

#[test]
fn build_with_xlsx_writes_both_and_a_failed_build_writes_neither() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("d.pdf");
    let book = dir.path().join("d.xlsx");
    let o = run(&[
        "build",
        "examples/zhongwei-hrss-2024-budget",
        "-o",
        pdf.to_str().unwrap(),
        "--xlsx",
        book.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(pdf.exists() && book.exists());
    // A broken project over existing outputs: both untouched.
    let broken =
        crate::support::broken_project("budget", |t| t.replacen("year: 2024", "year: 二〇二四", 1));
    let before = std::fs::read(&book).unwrap();
    let o = run(&[
        "build",
        broken.path().join("p").to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
        "--xlsx",
        book.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(std::fs::read(&book).unwrap(), before);
    // The workbook may not replace the PDF of the same build.
    let o = run(&[
        "build",
        "examples/nx-hrss-2024-final",
        "-o",
        pdf.to_str().unwrap(),
        "--xlsx",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("names the PDF's own path"),
        "{}",
        stderr(&o)
    );
    // The workbook may not replace an input.
    let o = run(&[
        "build",
        "examples/nx-hrss-2024-final",
        "--xlsx",
        "examples/nx-hrss-2024-final/budgetdoc.yaml",
        "--no-pdf",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn the_legacy_xls_export_imports_the_same_facts_from_the_same_cells() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("fin.xlsx");
    finance_software::write(&xlsx, finance_software::Twist::None);
    let xls = Path::new("tests/fixtures/workbooks/finance-software-2024.xls");
    let options = Default::default();
    let (_, a) = budgetdoc::import(&xlsx, None, &options).unwrap_or_else(|e| panic!("{e:?}"));
    let (_, b) = budgetdoc::import(xls, None, &options).unwrap_or_else(|e| panic!("{e:?}"));
    let strip = |files: &[(String, String)]| -> Vec<String> {
        files
            .iter()
            .map(|(n, t)| format!("{n}\n{}", t.lines().skip(1).collect::<Vec<_>>().join("\n")))
            .collect()
    };
    assert_eq!(strip(&a.files), strip(&b.files));
    assert_eq!(a.located, b.located);
}
