//! Performance-target publications end to end: seeds 000 (自治区本级 layout) and 001 (county
//! layout) build, and their text holds every project name, every amount and every indicator;
//! each form rule has an invalid fixture that fails `check` at the right line:col.

use std::fs;
use std::path::Path;

use crate::support::{run, stderr};

const REGIONAL: &str = "examples/nx-employment-2024-targets";
const COUNTY: &str = "examples/yongning-employment-2024-targets";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The laid-out text without line breaks, spaces, page numbers and the indicator header a
/// form repeats when it continues on the next page (a long cell may break there).
fn flat(example: &str) -> String {
    const HEADER: [&str; 6] = [
        "名称",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "绩效值",
    ];
    let compiled = budgetdoc::compile(&root().join(example), &[]).expect("example compiles");
    budgetdoc::render::document_text(&compiled.document)
        .lines()
        .map(|l| l.trim_start_matches('\u{c}'))
        .filter(|l| {
            let page_number = l.starts_with("— ") && l.ends_with(" —");
            !page_number && !HEADER.contains(l)
        })
        .collect::<String>()
        .replace([' ', '\u{c}'], "")
}

/// Every seed name and amount of `fixture` is in `text`.
fn assert_fixture(fixture: &str, text: &str) {
    let mut missing = Vec::new();
    for line in fixture
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (_, value) = line.split_once('\t').expect("kind<TAB>value");
        let value = value.replace(' ', "");
        if !text.contains(&value) {
            missing.push(value);
        }
    }
    assert!(missing.is_empty(), "not in the document: {missing:?}");
}

/// Every form's typed texts (name, implementer, goals, 三级指标, 指标值) are in `text`.
fn assert_forms(example: &str, text: &str, forms: usize) {
    let checked = budgetdoc::check(&root().join(example)).unwrap();
    let validated = &checked
        .document
        .of::<budgetdoc::kinds::performance_targets::PerformanceTargets>()
        .unwrap_or_else(|| panic!("{example} is a performance-target publication"))
        .valid;
    assert_eq!(validated.targets().len(), forms);
    let mut missing = Vec::new();
    for t in validated.targets() {
        let mut texts = vec![t.name.as_str().to_string()];
        texts.extend(t.goals.iter().map(|g| g.as_str().to_string()));
        for group in t.indicators.groups() {
            for i in group {
                texts.push(i.name.as_str().to_string());
                texts.push(i.value.as_str().to_string());
            }
        }
        for s in texts {
            let s = s.replace(' ', "");
            if !text.contains(&s) {
                missing.push(s);
            }
        }
    }
    assert!(missing.is_empty(), "not in the document: {missing:?}");
}

#[test]
fn regional_example_holds_every_name_amount_and_indicator() {
    let text = flat(REGIONAL);
    assert_fixture(include_str!("../fixtures/seed-000-forms.txt"), &text);
    assert_forms(REGIONAL, &text, 7);
    // The notice, the codes of the layout, the derived 资金总额 lines.
    for s in [
        "现将2024年自治区本级部门项目支出预算绩效目标予以公开。",
        "附件：2024年自治区本级部门项目支出预算绩效目标表",
        "宁夏回族自治区就业与创业服务局2024年2月28日",
        "1-产出指标",
        "11-数量指标",
        "23-生态效益",
        "31-服务对象满意度",
        "项目总额385.4其中：年度资金总额10",
    ] {
        assert!(text.contains(s), "missing {s}");
    }
}

#[test]
fn county_example_holds_every_name_amount_and_indicator() {
    let text = flat(COUNTY);
    assert_fixture(include_str!("../fixtures/seed-001-forms.txt"), &text);
    assert_forms(COUNTY, &text, 11);
    for s in [
        "附件3",
        "年度资金总额（含本级和市县）",
        "年度绩效目标（含本级）",
        "指标1:享受创业担保贷款贴息人数",
        "指标2:",
        ".....",
        "目标1:就业补助资金按《就业补助资金管理办法》支出使用。",
    ] {
        assert!(text.contains(s), "missing {s}");
    }
}

#[test]
fn examples_build_cleanly_and_reproducibly() {
    let dir = tempfile::tempdir().unwrap();
    for example in [REGIONAL, COUNTY] {
        let a = dir.path().join("a.pdf");
        let b = dir.path().join("b.pdf");
        for out in [&a, &b] {
            let o = run(&["build", example, "-o", out.to_str().unwrap()]);
            assert!(o.status.success(), "{}", stderr(&o));
            assert!(
                stderr(&o).contains("0 error(s), 0 warning(s)"),
                "{}",
                stderr(&o)
            );
        }
        assert_eq!(fs::read(&a).unwrap(), fs::read(&b).unwrap(), "{example}");
    }
}

#[test]
fn init_performance_targets_builds_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("t");
    let o = run(&[
        "init",
        project.to_str().unwrap(),
        "--kind",
        "performance-targets",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["build", project.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("0 error(s), 0 warning(s)"),
        "{}",
        stderr(&o)
    );
}

/// `check` on an invalid fixture fails with exactly one error, at `position`, with `message`.
fn assert_rule(fixture: &str, position: &str, path: &str, message: &str) {
    let file = format!("tests/fixtures/targets-invalid/{fixture}");
    let o = run(&["check", &file]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{file}:{position}: error[")) && err.contains(message),
        "expected {file}:{position}: error[…]: {message}\n{err}"
    );
    assert!(err.contains(&format!("(at `{path}`)")), "{err}");
    assert!(err.contains("1 error(s)"), "exactly one rule breaks: {err}");
}

#[test]
fn rule_local_total_is_the_sum_of_its_parts() {
    assert_rule(
        "local-total.yaml",
        "14:20",
        "targets[0].funds.local_total",
        "本级资金总额 70 is not the sum of its parts 60",
    );
}

#[test]
fn rule_transfer_total_is_the_sum_of_its_parts() {
    assert_rule(
        "transfer-total.yaml",
        "14:23",
        "targets[0].funds.transfer_total",
        "转移市县（区）资金总额 20 is not the sum of its parts 15",
    );
}

#[test]
fn rule_annual_total_is_local_plus_transfer() {
    assert_rule(
        "annual-total.yaml",
        "13:14",
        "targets[0].funds.total",
        "年度资金总额 60 is not the sum of its parts 70",
    );
}

#[test]
fn rule_annual_total_within_the_project_total() {
    assert_rule(
        "above-project-total.yaml",
        "9:20",
        "targets[0].project_total",
        "年度资金总额 60 exceeds the 项目总额 50",
    );
}

#[test]
fn rule_each_required_category_has_an_indicator() {
    assert_rule(
        "missing-category.yaml",
        "12:5",
        "targets[0].indicators",
        "the form has no 满意度指标",
    );
}

#[test]
fn rule_cost_indicator_within_the_year_s_funds() {
    assert_rule(
        "cost-above-funds.yaml",
        "15:37",
        "targets[0].indicators.output.cost[0].value",
        "成本指标 states 600 万元, more than the year's funds 60 万元",
    );
}

#[test]
fn an_unknown_layout_is_an_error_at_its_value() {
    let dir = tempfile::tempdir().unwrap();
    let src =
        fs::read_to_string(root().join("tests/fixtures/targets-invalid/cost-above-funds.yaml"))
            .unwrap();
    let file = dir.path().join("x.yaml");
    fs::write(
        &file,
        src.replace("layout: 自治区本级", "layout: 乡级")
            .replace("600万元", "60万元"),
    )
    .unwrap();
    let o = run(&["check", file.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("x.yaml:3:9: error[U01]: unknown layout `乡级`"),
        "{err}"
    );
}
