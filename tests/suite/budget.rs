//! The 部门预算 end to end: the seed 004 example builds and its document holds every amount
//! of the nine tables, every generated 科目 sentence and all 21 performance-target forms;
//! rebuilds are byte-identical; `init --kind budget` builds; bad budget input fails at its
//! position with nothing written.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use crate::support::{run, stderr};

const EXAMPLE: &str = "examples/zhongwei-hrss-2024-budget";

/// The example's laid-out text, computed once.
fn text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE);
        let compiled = budgetdoc::compile(&dir, &[]).expect("example compiles");
        budgetdoc::render::document_text(&compiled.document)
    })
}

/// The text without line breaks, spaces and page numbers, for sentence lookups.
fn flat() -> &'static str {
    static FLAT: OnceLock<String> = OnceLock::new();
    FLAT.get_or_init(|| {
        text()
            .lines()
            .filter(|l| !(l.starts_with("— ") && l.ends_with(" —")))
            .collect::<String>()
            .replace([' ', '\u{c}'], "")
    })
}

/// Every number printed in a table cell or a sentence, as a token.
fn numbers() -> &'static BTreeSet<String> {
    static NUMBERS: OnceLock<BTreeSet<String>> = OnceLock::new();
    NUMBERS.get_or_init(|| {
        let mut out = BTreeSet::new();
        let mut cur = String::new();
        for ch in text().chars().chain(std::iter::once(' ')) {
            if ch.is_ascii_digit() || ch == '.' || (ch == '-' && cur.is_empty()) {
                cur.push(ch);
            } else {
                if cur.chars().any(|c| c.is_ascii_digit()) {
                    out.insert(cur.trim_end_matches('.').to_string());
                }
                cur.clear();
                if ch == '-' {
                    cur.push(ch);
                }
            }
        }
        out
    })
}

#[test]
fn example_builds_with_exit_code_0() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("y.pdf");
    let o = run(&["build", EXAMPLE, "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(fs::read(&out).unwrap().starts_with(b"%PDF-"));
    // The three R02 problems the example's README explains, acknowledged under `accept:`.
    assert!(
        stderr(&o).contains("0 error(s), 0 warning(s), 3 accepted"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn every_amount_of_the_nine_tables_is_in_the_document() {
    let fixture = include_str!("../fixtures/seed-004-table-amounts.txt");
    let numbers = numbers();
    let mut missing = Vec::new();
    for token in fixture
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        // The document prints amounts with two decimals (the seed sometimes drops a zero).
        let expected = match token.split_once('.') {
            Some((int, frac)) => format!("{int}.{frac:0<2}"),
            None => token.to_string(),
        };
        if !numbers.contains(&expected) {
            missing.push(token.to_string());
        }
    }
    assert!(missing.is_empty(), "not in the document: {missing:?}");
    for key in [
        "42303.73", "25833.22", "156.85", "31898.50", "13700.54", "1634.23",
    ] {
        assert!(numbers.contains(key), "{key}");
    }
}

#[test]
fn one_generated_sentence_per_subject_with_its_numbers() {
    let flat = flat();
    for sentence in [
        "2011308招商引资2024年预算0万元，比2023年执行数（3.17万元）减少3.17万元，下降100%，主要原因是招商引资奖励资金不列入部门预算",
        "2080102一般行政管理事务2024年预算70.00万元，比2023年执行数（139.14万元）减少69.14万元，下降49.69%，主要原因一是退休困难职工慰问金",
        "2080105劳动保障监察2024年预算12.00万元，与2023年执行数（12.00万元）一致，主要原因是",
        "2080109社会保险经办机构2024年预算112.00万元，比2023年执行数（91.00万元）增加21.00万元，增长23.08%",
        "2080110劳动关系和维权2024年预算19.00万元，比2023年执行数（15.00万元）增加4.00万元，增长26.67%",
        "2080116引进人才费用2024年预算150.00万元，比2023年执行数（313.21万元）减少163.21万元，下降52.11%",
        "2080199其他人力资源和社会保障管理事务支出2024年预算87.00万元，比2023年执行数（115.54万元）减少28.54万元，下降24.70%",
        "2080506机关事业单位职业年金缴费支出2024年预算4869.00万元，比2023年执行数（22.51万元）增加4846.49万元，增长21530.39%",
        "2080507对机关事业单位基本养老保险基金的补助2024年预算20000.00万元，比2023年执行数（0万元）增加20000.00万元，主要原因是",
        "2080701就业创业服务补贴2024年预算1070.00万元，比2023年执行数（300.18万元）增加769.82万元，增长256.45%",
        "2080702职业培训补贴2024年预算223.00万元，比2023年执行数（1009.76万元）减少786.76万元，下降77.92%",
        "2080704社会保险补贴2024年预算600.00万元，比2023年执行数（1288.54万元）减少688.54万元，下降53.44%",
        "2080705公益性岗位补贴2024年预算150.00万元，比2023年执行数（1600.28万元）减少1450.28万元，下降90.63%",
        "2080709职业技能鉴定补贴2024年预算15.00万元，比2023年执行数（0万元）增加15.00万元，主要原因是",
        "2080711就业见习补贴2024年预算200.00万元，比2023年执行数（457.19万元）减少257.19万元，下降56.25%",
        "2080713促进创业补贴2024年预算50.00万元，比2023年执行数（139.60万元）减少89.60万元，下降64.18%",
        "2080799其他就业补助支出2024年预算620.00万元，比2023年执行数（307.32万元）增加312.68万元，增长101.74%",
        "2082602财政对城乡居民基本养老保险基金的补助2024年预算2400.00万元，比2023年执行数（0万元）增加2400.00万元，主要原因是",
        // The seed's sentence quotes 8974.66 (+628.34, 7.00%); 表二 says 8966.36: the table wins.
        "2089999其他社会保障和就业支出2024年预算9603.00万元，比2023年执行数（8966.36万元）增加636.64万元，增长7.10%",
        "2130804创业担保贷款贴息及奖补2024年预算395.00万元，比2023年执行数（107.60万元）增加287.40万元，增长267.10%",
    ] {
        assert!(flat.contains(sentence), "missing sentence: {sentence}");
    }
    // No sentence for a 科目 with neither 项目支出 nor a prior 项目支出 执行数.
    assert!(!flat.contains("2080801死亡抚恤2024年预算"));
}

#[test]
fn the_other_narrative_figures_follow_the_tables() {
    let flat = flat();
    for expected in [
        // 一: the class amounts are the derived ones (the seed prints 41651.06 / 75.93).
        "财政拨款收入预算42303.73万元，其中：本年收入42303.73万元，包括一般公共预算拨款42303.73万元，政府性基金预算拨款0万元",
        "包括：社会保障和就业支出41651.07万元、卫生健康支出75.92万元、农林水支出395.00万元、住房保障支出181.74万元。",
        // 二(一): prior basic = 16470.51 − Σ prior 项目支出 执行数 (the seed says 1582.12).
        "基本支出1658.73万元",
        "比2023年执行数（1582.11万元）增加76.62万元，增长4.84%",
        "人员经费1557.48万元，主要包括：基本工资342.43万元",
        "社会保障缴费267.18万元",
        "公用经费101.25万元，主要包括：办公费13.70万元",
        "项目支出40645.00万元",
        // 三
        "“三公”经费财政拨款预算数为4.66万元",
        "预算比2023年减少0.30万元",
        "公务接待费减少0.30万元，主要原因是严格落实中央八项规定精神",
        // 四
        "2024年无政府性基金预算财政拨款收支。",
        // 五
        "财政拨款预算收入42303.73万元，占100%",
        "行政支出1086.46万元，占2.57%；事业支出41217.27万元，占97.43%",
        // 六
        "机关运行经费财政拨款预算89.10万元，比2023年预算减少4.06万元，下降4.36%",
        "政府采购预算21.52万元，其中：政府采购货物预算19.52万元",
        "房屋15102.5平方米（含公共实训基地及其他单位使用面积），价值4578.36万元",
        "办公家具价值192.28万元",
        "其他资产价值2061.84万元",
        "21个项目支出预算全面设立了绩效目标",
        "涉及资金40645万元，占项目支出预算总额的100%",
        "涉及资金28478.00万元，占项目支出预算总额的70.07%",
    ] {
        assert!(flat.contains(expected), "missing: {expected}");
    }
}

#[test]
fn all_21_performance_target_forms() {
    let flat = flat();
    let checked = budgetdoc::check(&Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE)).unwrap();
    let validated = &checked
        .document
        .of::<budgetdoc::kinds::budget::Budget>()
        .expect("the example is a 部门预算")
        .valid;
    assert_eq!(validated.targets().len(), 21);
    for t in validated.targets() {
        let name = t.name.as_str().replace(' ', "");
        assert!(flat.contains(&name), "missing project `{name}`");
    }
    assert_eq!(
        flat.matches("部门项目支出预算绩效目标表").count(),
        21 + 2,
        "21 forms + 目录 + heading"
    );
    // 年度资金总额 is derived from its parts; the merged-cell labels are printed.
    assert!(flat.contains("年度资金总额：20000"));
    assert!(flat.contains("数量指标（必填硬性指标）"));
    assert!(flat.contains("经济效益指标（选填）"));
    assert!(flat.contains("目标1：按照自治区统一要求"));
}

#[test]
fn two_builds_give_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.pdf");
    let b = dir.path().join("b.pdf");
    for out in [&a, &b] {
        let o = run(&["build", EXAMPLE, "-o", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(fs::read(&a).unwrap(), fs::read(&b).unwrap());
}

#[test]
fn init_budget_writes_a_project_that_builds_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("new");
    let o = run(&["init", project.to_str().unwrap(), "--kind", "budget"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(project.join("targets/01-example.yaml").is_file());
    let o = run(&["check", project.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("0 error(s), 0 warning(s)"),
        "{}",
        stderr(&o)
    );
    let o = run(&["build", project.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(project.join("out/new.pdf").is_file());
}

fn broken(edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    crate::support::broken_project("budget", edit)
}

#[test]
fn bad_budget_input_unknown_code_in_a_unit() {
    let dir = broken(|t| t.replacen("code: \"2080102\"", "code: \"2089998\"", 1));
    crate::support::assert_fails(
        &dir,
        "budgetdoc.yaml",
        "24:17",
        "units[0].general_budget[1].code",
        "功能分类 code `2089998` has no name in any catalog",
    );
}

#[test]
fn bad_budget_input_economic_code_in_the_wrong_block() {
    // 30113 住房公积金 moved from 人员经费 to 公用经费.
    let dir = broken(|t| {
        t.replace("    \"30113\": 40.00                   # 住房公积金\n", "")
            .replace(
                "    \"30201\": 50.00",
                "    \"30113\": 40.00\n    \"30201\": 50.00",
            )
    });
    crate::support::assert_fails(
        &dir,
        "budgetdoc.yaml",
        "45:5",
        "basic_by_economic.public.30113",
        "`30113` 住房公积金 belongs to 人员经费, not to `public`",
    );
}

#[test]
fn bad_budget_input_two_breakdowns_disagree() {
    let dir = broken(|t| t.replace("\"30101\": 300.00", "\"30101\": 301.00"));
    let err = crate::support::assert_fails(
        &dir,
        "budgetdoc.yaml",
        "39:1",
        "basic_by_economic",
        "sums to 741",
    );
    assert!(err.contains("740") && err.contains("difference 1"), "{err}");
}

#[test]
fn bad_budget_input_form_for_an_unknown_unit_points_into_its_file() {
    let dir = broken(|t| t.replace("year: 2024\n", "year: 2024 \n"));
    let form = dir.path().join("p/targets/01-example.yaml");
    let text = fs::read_to_string(&form).unwrap();
    fs::write(&form, text.replace("unit: \"310001\"", "unit: \"310009\"")).unwrap();
    crate::support::assert_fails(
        &dir,
        "01-example.yaml",
        "5:7",
        "unit",
        "`310009` is not one of the budget's units",
    );
}

#[test]
fn bad_budget_input_prior_project_execution_above_the_code_s_execution() {
    let dir = broken(|t| t.replace("\"2080109\": 18.00", "\"2080109\": 218.00"));
    crate::support::assert_fails(
        &dir,
        "budgetdoc.yaml",
        "35:14",
        "prior_project_execution.2080109",
        "exceeds the code's whole 执行数 215",
    );
}

/// The starter without the facts a first-time department often lacks: no prior-year 执行数,
/// no prior 项目支出 执行数, no prior-year 三公 执行数, only the vehicles of its assets, no
/// non-财政拨款 income and no target forms (issue 11).
fn without_prior_year_facts() -> tempfile::TempDir {
    let dir = broken(|t| {
        let mut out = String::new();
        let mut skip = false;
        for line in t.lines() {
            if line.starts_with("prior_project_execution:") {
                skip = true;
                continue;
            }
            if skip && line.starts_with("  \"") {
                continue;
            }
            skip = false;
            out.push_str(line);
            out.push('\n');
        }
        let mut out = out
            .replace(", prior: 480.00", "")
            .replace(", prior: 75.00", "")
            .replace(", prior: 38.00", "")
            .replace(", prior: 215.00", "")
            .replace(", prior: 0 ", " ")
            .replace(
                "  prior_actual: { outbound: 0, vehicle_purchase: 0, vehicle_operation: 2.50, reception: 1.60 }",
                "  prior_actual: ~",
            );
        let start = out.find("    - { label: 本级部门").unwrap();
        let end = out[start..].find("118.60 }").unwrap() + start + "118.60 }".len();
        out.replace_range(start..end, "    - { label: 本级部门, vehicles: 2 }");
        out.replace(
            "reasons:",
            "reasons:\n  # no comparison, so no reason is asked for\n",
        )
        .replace("  basic: 人员调资及社会保险缴费基数调整\n", "")
    });
    fs::remove_dir_all(dir.path().join("p/targets")).unwrap();
    dir
}

#[test]
fn a_budget_without_prior_year_facts_or_forms_states_nothing_false() {
    let dir = without_prior_year_facts();
    let project = dir.path().join("p");
    let text = fs::read_to_string(project.join("budgetdoc.yaml")).unwrap();
    assert!(
        !text.contains("prior:") && !text.contains("prior_project_execution"),
        "{text}"
    );

    // check says what each missing fact leaves out, and nothing fails.
    let o = run(&["check", project.to_str().unwrap(), "--format", "short"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    for expected in [
        "warning[R04]: no line carries its prior-year 执行数",
        "warning[R04]: `three_public.prior_actual` lacks outbound, vehicle_purchase, vehicle_operation, reception",
        "warning[R04]: `本级部门` lacks building_area, building_value",
        "warning[R04]: 项目支出 is 380 but no performance-target form is attached",
    ] {
        assert!(out.contains(expected), "{expected}: {out}");
    }

    let compiled = budgetdoc::compile(&project, &[]).expect("builds");
    let flat: String =
        budgetdoc::render::document_text(&compiled.document).replace(['\n', ' ', '\u{c}'], "");
    // No comparison with a 执行数 nobody typed, no claim of no 项目支出, no forms counted.
    let compared = flat
        .match_indices("执行数（")
        .any(|(i, m)| flat[i + m.len()..].starts_with(|c: char| c.is_ascii_digit()));
    assert!(!compared, "a comparison with an untyped 执行数");
    assert!(!flat.contains("无项目支出"), "项目支出 is 380");
    assert!(
        !flat.contains("个项目支出预算全面设立了绩效目标"),
        "no forms to count"
    );
    assert!(
        flat.contains("项目支出预算绩效目标表未随本部门预算附列"),
        "says the forms are not attached"
    );
    // Each 科目 states its budget alone.
    assert!(
        flat.contains("2080102一般行政管理事务2024年预算60.00万元；"),
        "{flat}"
    );
    // Only the vehicles of the assets, no invented 房屋/土地 zeros.
    assert!(
        flat.contains("占用使用国有资产总体情况为车辆2辆。"),
        "{flat}"
    );
    assert!(!flat.contains("房屋0"), "invented zero");

    // The tables: every prior cell empty, never 0.
    let data = compiled.checked.document.data();
    for row in data["t2"]["rows"].as_array().unwrap() {
        assert_eq!(row["cells"][0], "", "执行数 of {}", row["name"]);
        assert_eq!(row["cells"][4], "", "增减额 of {}", row["name"]);
        assert_eq!(row["cells"][5], "", "增减% of {}", row["name"]);
    }
    assert!(
        data["t4"]["prior_actual"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c == ""),
        "{}",
        data["t4"]["prior_actual"]
    );
    // No non-财政拨款 income was typed: 表七 prints those sources empty.
    let t7 = data["t7"].as_array().unwrap();
    assert!(t7[4..].iter().all(|c| c == ""), "{t7:?}");
}

/// The starter with one project-only line whose `prior` (上年执行数, of the whole 科目) is typed
/// and whose prior 项目支出 执行数 is not: the sentence states the budget alone (the 执行数
/// may be 基本支出), `check` says what is left out, and once the 执行数 is typed the
/// sentence compares with it. The line's 表二 cells print its `prior` either way.
#[test]
fn a_project_line_without_its_prior_project_execution_is_not_compared_with_zero() {
    let dir = broken(|t| {
        t.replacen(
            "      - { code: \"2210201\", basic: 40.00, project: 0, prior: 38.00 }",
            "      - { code: \"2210201\", basic: 40.00, project: 0, prior: 38.00 }\n      - { code: \"2080105\", basic: 0, project: 25.00, prior: 20.00 }",
            1,
        )
        .replacen(
            "  projects:\n",
            "  projects:\n    \"2080105\": 劳动保障监察执法经费增加\n",
            1,
        )
    });
    let project = dir.path().join("p");
    let form = fs::read_to_string(project.join("targets/01-example.yaml")).unwrap();
    fs::write(
        project.join("targets/03-inspection.yaml"),
        form.replace("fiscal: 60", "fiscal: 25")
            .replace("value: 60万元", "value: 25万元")
            .replace("一般行政管理专项业务经费", "劳动保障监察执法经费"),
    )
    .unwrap();
    let o = run(&["check", project.to_str().unwrap(), "--format", "short"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(
        out.contains("warning[R04]: the prior year's 项目支出 执行数 of `2080105` is not typed"),
        "{out}"
    );
    let sentence = |project: &std::path::Path| {
        let compiled = budgetdoc::compile(project, &[]).expect("builds");
        let flat =
            budgetdoc::render::document_text(&compiled.document).replace(['\n', ' ', '\u{c}'], "");
        let start = flat
            .find("2080105劳动保障监察2024年预算")
            .expect("a sentence");
        let end = start + flat[start..].find(['；', '。']).unwrap();
        let row = compiled.checked.document.data()["t2"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == "2080105")
            .cloned()
            .unwrap();
        (flat[start..end].to_string(), row["cells"][0].clone())
    };
    let (alone, prior_cell) = sentence(&project);
    assert_eq!(alone, "2080105劳动保障监察2024年预算25.00万元");
    assert_eq!(prior_cell, "20.00");
    let main = project.join("budgetdoc.yaml");
    let text = fs::read_to_string(&main).unwrap();
    fs::write(
        &main,
        text.replacen(
            "prior_project_execution:",
            "prior_project_execution:\n  \"2080105\": 20.00",
            1,
        ),
    )
    .unwrap();
    let (compared, _) = sentence(&project);
    assert!(
        compared.starts_with(
            "2080105劳动保障监察2024年预算25.00万元，比2023年执行数（20.00万元）增加5.00万元"
        ),
        "{compared}"
    );
}

/// The starter with its units as `edit` makes them: the document's text (flat) and data.
fn starter_with_units(edit: impl FnOnce(String) -> String) -> (String, serde_json::Value) {
    let dir = broken(edit);
    let project = dir.path().join("p");
    let o = run(&["check", project.to_str().unwrap(), "--format", "short"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let compiled = budgetdoc::compile(&project, &[]).expect("builds");
    let flat =
        budgetdoc::render::document_text(&compiled.document).replace(['\n', ' ', '\u{c}'], "");
    (flat, compiled.checked.document.data())
}

/// The starter's two units, replaced by `units` (YAML under `units:`) and, when given,
/// department-wide lines.
fn starter_units(t: String, units: &str, department_lines: bool) -> String {
    let start = t.find("units:").unwrap();
    let end = t.find("prior_project_execution:").unwrap();
    let lines = if department_lines {
        "general_budget:                      # no per-unit split\n  - { code: \"2080101\", basic: 500.00, project: 0, prior: 480.00 }\n  - { code: \"2080102\", basic: 0, project: 60.00, prior: 75.00 }\n  - { code: \"2210201\", basic: 40.00, project: 0, prior: 38.00 }\n  - { code: \"2080109\", basic: 200.00, project: 20.00, prior: 215.00 }\n  - { code: \"2080701\", basic: 0, project: 300.00, prior: 0 }\n\n"
    } else {
        ""
    };
    format!("{}units:\n{units}\n{lines}{}", &t[..start], &t[end..])
}

#[test]
fn a_department_without_a_per_unit_split_prints_no_unit_row_and_no_nature_split() {
    let (flat, data) = starter_with_units(|t| {
        starter_units(
            t,
            "  - { code: \"310001\", name: 示例市人力资源和社会保障局机关, nature: 行政 }\n  - { code: \"310002\", name: 示例市就业创业和人才服务中心, nature: 事业 }\n",
            true,
        )
    });
    let rows = data["t2"]["rows"].as_array().unwrap();
    assert!(
        rows.iter().all(|r| r["level"] != "unit"),
        "no invented unit row: {rows:?}"
    );
    assert_eq!(rows[0]["level"], "department");
    // The whole budget is still there: 1,120.00 = the five lines.
    assert!(
        flat.contains("本年支出预算1120.00万元") || flat.contains("本年支出1120.00万元"),
        "{flat}"
    );
    // Mixed natures and no per-unit lines: nothing says which money is 行政 or 事业.
    assert!(!flat.contains("本年支出包括"), "no 行政/事业 split: {flat}");
    assert_eq!(data["t8"][1], "", "表八 行政支出 prints empty");
    assert_eq!(data["t8"][2], "", "表八 事业支出 prints empty");
    assert_eq!(data["t6"]["administrative"]["total"], "");
    // Every unit of one nature: the data says it all, and 五 states it.
    let (flat, data) = starter_with_units(|t| {
        starter_units(
            t,
            "  - { code: \"310001\", name: 示例市人力资源和社会保障局机关, nature: 行政 }\n  - { code: \"310002\", name: 示例市就业创业和人才服务中心, nature: 行政 }\n",
            true,
        )
    });
    assert_eq!(data["t8"][1], "1120.00");
    assert!(
        flat.contains("本年支出包括：行政支出1120.00万元，占100%"),
        "{flat}"
    );
}

#[test]
fn a_civil_service_managed_unit_leaves_the_nature_split_out_and_a_unit_without_a_code_prints_none()
{
    // A third unit, without a code (and so without forms of its own), 参公.
    let (flat, data) = starter_with_units(|t| {
        t.replacen(
            "prior_project_execution:",
            "  - name: 示例市劳动保障监察支队\n    nature: 参公\n    general_budget:\n      - { code: \"2080105\", basic: 10.00, project: 0, prior: 9.00 }\n\nprior_project_execution:",
            1,
        )
        .replacen("\"30101\": 300.00", "\"30101\": 310.00", 1)
    });
    assert!(!flat.contains("本年支出包括"), "no 行政/事业 split: {flat}");
    assert_eq!(data["t8"][1], "");
    let unit = data["t2"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "示例市劳动保障监察支队")
        .cloned()
        .expect("the unit's row");
    assert_eq!(unit["code"], "", "no invented unit code");
}

#[test]
fn lines_typed_both_department_wide_and_per_unit_are_an_error() {
    let dir = broken(|t| {
        t.replacen(
            "prior_project_execution:",
            "general_budget:\n  - { code: \"2080199\", basic: 1.00, prior: 1.00 }\n\nprior_project_execution:",
            1,
        )
    });
    let project = dir.path().join("p");
    let o = run(&["check", project.to_str().unwrap(), "--format", "short"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o);
    assert!(
        out.contains(
            "error[C04]: the department's lines are typed both department-wide and per unit"
        ),
        "{out}"
    );
}
