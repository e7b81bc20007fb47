//! `budgetdoc explain` and the provenance of every printed figure.

use std::path::Path;

use budgetdoc::BuildOptions;
use budgetdoc::explain::FactRef;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::support::{EXAMPLES, bin};

/// The scalar typed at `fact`'s line and column, read from the file itself.
fn typed_at(fact: &FactRef) -> Decimal {
    let text = std::fs::read_to_string(&fact.file).unwrap();
    let line = text.lines().nth(fact.line - 1).unwrap();
    let rest: String = line.chars().skip(fact.column - 1).collect();
    let scalar: String = rest
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    scalar
        .parse()
        .unwrap_or_else(|_| panic!("no number at {fact:?}: {rest}"))
}

#[test]
fn every_printed_figure_rests_on_typed_facts_where_the_yaml_has_them() {
    for ex in EXAMPLES {
        let figures = budgetdoc::explain::figures(Path::new(ex), &BuildOptions::default())
            .unwrap_or_else(|d| panic!("{ex}: {d:?}"));
        let all = figures.facts_of_every_figure();
        assert!(all.len() > 40, "{ex}: only {} figures", all.len());
        let mut with_facts = 0;
        for (printed, facts) in &all {
            let facts = facts.as_ref().unwrap_or_else(|| {
                panic!(
                    "{ex}: `{}` at `{}` has no derivation",
                    printed.text, printed.path
                )
            });
            // Every fact of the derivation is named and found at its position.
            assert_eq!(
                facts.len(),
                figures.trace.facts(printed.node).len(),
                "{ex}: a fact of `{}` at `{}` has no key path",
                printed.text,
                printed.path
            );
            for fact in facts {
                assert!(fact.exact, "{ex}: {fact:?} is not a path of the file");
                assert_eq!(
                    typed_at(fact),
                    fact.value,
                    "{ex}: `{}` at `{}`: {fact:?}",
                    printed.text,
                    printed.path
                );
            }
            with_facts += usize::from(!facts.is_empty());
        }
        // Most figures rest on typed amounts (the rest print what nothing was typed for,
        // or a constant of the rules).
        assert!(
            with_facts * 10 > all.len() * 8,
            "{ex}: {with_facts} of {}",
            all.len()
        );
    }
}

fn explain_json(project: &str, query: &str) -> (bool, Value) {
    let out = bin()
        .args(["explain", project, "--format", "json", "--", query])
        .output()
        .unwrap();
    (
        out.status.success(),
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
    )
}

fn facts(step: &Value, out: &mut Vec<Value>) {
    if let Some(f) = step.get("fact") {
        out.push(f.clone());
    }
    for o in step["operands"].as_array().into_iter().flatten() {
        facts(o, out);
    }
}

#[test]
fn the_completion_rate_is_traced_to_the_typed_items_and_the_initial_budget() {
    let (ok, answer) = explain_json("examples/nx-hrss-2024-final", "182%");
    assert!(ok);
    let m = &answer["matches"][0];
    assert_eq!(m["text"], "182");
    assert!(
        m["places"][0]["line"]
            .as_str()
            .unwrap()
            .contains("完成年初预算的182%")
    );
    // The page as its footer prints it (— 18 —), besides the PDF's own page.
    assert_eq!(m["places"][0]["page_label"], "18");
    assert_eq!(m["places"][0]["page"], 21);
    let d = &m["derivation"];
    assert_eq!(d["op"], "rounded half-up to 0 decimal(s)");
    let rate = &d["operands"][0];
    assert_eq!(rate["op"], "percent (a ÷ b × 100)");
    let (spent, budget) = (&rate["operands"][0], &rate["operands"][1]);
    assert_eq!(spent["value"], "418,144,219.93");
    assert_eq!(budget["value"], "230,315,384.56");
    let mut items = Vec::new();
    facts(spent, &mut items);
    assert!(items.len() > 10);
    for f in &items {
        let path = f["path"].as_str().unwrap();
        assert!(path.starts_with("functional["), "{path}");
        assert!(f["file"].as_str().unwrap().ends_with("budgetdoc.yaml"));
        assert!(f["line"].as_u64().unwrap() > 1);
    }
    assert_eq!(
        budget["fact"]["path"],
        "initial_budget.general_budget_by_class.208"
    );
}

#[test]
fn a_budget_change_rate_and_a_self_evaluation_total_are_traced() {
    // 表二's 增减% of 2080102 一般行政管理事务: (70 − 139.14) ÷ 139.14.
    let (ok, answer) = explain_json("examples/zhongwei-hrss-2024-budget", "-49.69");
    assert!(ok);
    let growth = &answer["matches"][0]["derivation"]["operands"][0];
    assert_eq!(growth["op"], "growth ((a − b) ÷ b × 100)");
    let mut typed = Vec::new();
    facts(growth, &mut typed);
    let paths: Vec<&str> = typed.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "units[0].general_budget[1].basic",
            "units[0].general_budget[1].project",
            "units[0].general_budget[1].prior"
        ]
    );
    // The first self-evaluation's 总分: its 执行率 得分 and the typed indicator 得分.
    let (ok, answer) = explain_json("examples/nx-hrss-2024-final", "92.87");
    assert!(ok);
    let m = &answer["matches"][0];
    assert_eq!(m["data_paths"][0], "evaluations[0].total_score");
    let total = &m["derivation"]["operands"][0];
    assert_eq!(total["label"], "总分");
    assert_eq!(total["operands"][0]["label"], "执行率得分");
    let mut typed = Vec::new();
    facts(total, &mut typed);
    assert!(typed.iter().any(|f| {
        f["path"].as_str().unwrap().starts_with("indicators.")
            && f["file"]
                .as_str()
                .unwrap()
                .ends_with("evaluations/01-management-funds.yaml")
    }));
}

#[test]
fn a_key_path_lists_the_figures_resting_on_it_and_an_unknown_figure_fails() {
    let (ok, answer) = explain_json(
        "examples/zhongwei-hrss-2024-budget",
        "units[0].general_budget[1].prior",
    );
    assert!(ok);
    let texts: Vec<&str> = answer["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert!(
        texts.contains(&"139.14") && texts.contains(&"-49.69"),
        "{texts:?}"
    );

    let out = bin()
        .args(["explain", "examples/nx-hrss-2024-final", "182.5%"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("printed nowhere"), "{stderr}");
    assert!(stderr.contains("nearest printed figures: 182"), "{stderr}");
}

#[test]
fn a_table_cell_is_named_by_its_table_row_and_column() {
    // 公开02表, the row of 2080101 行政运行, its first amount (本年收入合计).
    let (ok, answer) = explain_json("examples/nx-hrss-2024-final", "公开02表 2080101 1");
    assert!(ok);
    let matches = answer["matches"].as_array().unwrap();
    assert_eq!(matches.len(), 1, "{answer}");
    let path = matches[0]["data_paths"][0].as_str().unwrap();
    assert!(
        path.starts_with("t02.rows[") && path.ends_with(".cells[0]"),
        "{path}"
    );
    let mut typed = Vec::new();
    facts(&matches[0]["derivation"], &mut typed);
    assert!(!typed.is_empty());
    assert!(
        typed
            .iter()
            .all(|f| f["path"].as_str().unwrap().contains(".income.")),
        "{typed:?}"
    );
    // 表二 of the budget by name, its 增减额 (the fifth amount).
    let (ok, answer) = explain_json("examples/zhongwei-hrss-2024-budget", "表二 2080101 5");
    assert!(ok);
    assert_eq!(answer["matches"][0]["text"], "17.73");
    // A whole row: every amount of it.
    let (ok, answer) = explain_json("examples/nx-hrss-2024-final", "02表 合计");
    assert!(ok);
    assert!(answer["matches"].as_array().unwrap().len() >= 3);
    // A row that does not exist.
    let (ok, _) = explain_json("examples/nx-hrss-2024-final", "公开02表 9999999 1");
    assert!(!ok);
}

/// The 平均得分 printed in the text (and the example of `explain --help`) is a figure: its
/// derivation goes down to each form's typed scores.
#[test]
fn the_average_self_evaluation_score_printed_in_the_text_is_explained() {
    let (ok, answer) = explain_json("examples/nx-hrss-2024-final", "94.11");
    assert!(ok, "{answer}");
    let m = &answer["matches"][0];
    assert_eq!(m["text"], "94.11");
    assert!(
        m["places"][0]["line"].as_str().unwrap().contains("94.11分"),
        "{m}"
    );
    let mean = &m["derivation"]["operands"][0];
    assert!(
        mean["op"].as_str().unwrap().starts_with("mean of"),
        "{mean}"
    );
    let mut typed = Vec::new();
    facts(mean, &mut typed);
    assert!(
        typed
            .iter()
            .any(|f| f["file"].as_str().unwrap().contains("evaluations/")),
        "{typed:?}"
    );
}

/// The marked layout (figures carry their ids as zero-width tags) prints every glyph of every
/// page exactly where the plain one does: the boxes `explain --at` and the preview look
/// points up in are those of the PDF.
#[test]
fn the_marked_layout_prints_every_glyph_where_the_plain_one_does() {
    for ex in EXAMPLES {
        let options = BuildOptions::default();
        let plain = budgetdoc::compile_with(Path::new(ex), &options).unwrap();
        let marked = budgetdoc::compile_marked(Path::new(ex), &options).unwrap();
        let (p, m) = (plain.document.pages(), marked.document.pages());
        assert_eq!(p.len(), m.len(), "{ex}: pages");
        let mut boxes = 0;
        for (i, (a, b)) in p.iter().zip(m).enumerate() {
            assert!(
                budgetdoc::render::glyph_positions(a) == budgetdoc::render::glyph_positions(b),
                "{ex}: page {} lays out differently when marked",
                i + 1
            );
            assert!(budgetdoc::render::figure_boxes(a).is_empty());
            boxes += budgetdoc::render::figure_boxes(b).len();
        }
        assert!(boxes > 40, "{ex}: only {boxes} figure boxes");
    }
}

/// The centre of the number `text` printed on `page` (from 1) of the plain layout.
fn point_of(project: &str, page: usize, text: &str) -> String {
    let compiled = budgetdoc::compile(Path::new(project), &[]).unwrap();
    let b = budgetdoc::render::number_boxes(&compiled.document.pages()[page - 1])
        .into_iter()
        .find(|b| b.text == text)
        .unwrap_or_else(|| panic!("`{text}` on page {page}"));
    let (x, y) = b.rect.centre();
    format!("{page}:{x}:{y}")
}

fn explain_at(project: &str, at: &str) -> (Option<i32>, Value, String) {
    let out = bin()
        .args(["explain", project, "--format", "json", "--at", at])
        .output()
        .unwrap();
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn explain_at_a_point_answers_the_figure_printed_there_and_only_a_figure() {
    let ex = "examples/nx-hrss-2024-final";
    // 公开02表's cell of 2080101 本年收入合计, traced to the two typed incomes.
    let (code, answer, err) = explain_at(ex, &point_of(ex, 9, "40,083,929.24"));
    assert_eq!(code, Some(0), "{err}");
    let m = &answer["matches"][0];
    assert_eq!(answer["matches"].as_array().unwrap().len(), 1);
    assert_eq!(m["text"], "40,083,929.24");
    assert_eq!(
        m["name"],
        "公开02表 收入决算表 · 2080101 行政运行 · 本年收入合计"
    );
    let mut typed = Vec::new();
    facts(&m["derivation"], &mut typed);
    assert!(
        typed
            .iter()
            .any(|f| f["file"].as_str().unwrap().ends_with("budgetdoc.yaml")
                && f["line"] == 67
                && f["name"] == "2080101 行政运行 · 收入 · 一般公共预算财政拨款"),
        "{typed:?}"
    );
    // The 182% of the text, traced to what was spent and the initial budget.
    let (code, answer, err) = explain_at(ex, &point_of(ex, 21, "182%"));
    assert_eq!(code, Some(0), "{err}");
    let m = &answer["matches"][0];
    assert_eq!(m["text"], "182");
    assert_eq!(m["places"][0]["page_label"], "18");
    let rate = &m["derivation"]["operands"][0];
    assert_eq!(rate["operands"][0]["value"], "418,144,219.93");
    assert_eq!(rate["operands"][1]["value"], "230,315,384.56");
    // The 平均得分.
    let (code, answer, err) = explain_at(ex, &point_of(ex, 25, "94.11"));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(answer["matches"][0]["text"], "94.11");
    // The "02" of 公开02表, a column number, a page footer: no figure, exit 1.
    for (page, text) in [(9, "02"), (9, "1"), (21, "18")] {
        let (code, answer, err) = explain_at(ex, &point_of(ex, page, text));
        assert_eq!(code, Some(1), "`{text}` on page {page}: {answer}");
        assert!(err.contains("no figure is printed at"), "{err}");
        assert_eq!(answer["matches"].as_array().map(Vec::len), Some(0));
    }
    // Off the page, and past the last page.
    let (code, _, err) = explain_at(ex, "9:1:1");
    assert_eq!(code, Some(1));
    assert!(err.contains("nothing is printed at"), "{err}");
    let (code, _, err) = explain_at(ex, "999:1:1");
    assert_eq!(code, Some(1));
    assert!(err.contains("the document has 65 page(s)"), "{err}");
}

/// A figure printed once is explained once, however many roundings led to it; every leaf
/// names its 科目 and column before its place.
#[test]
fn a_figure_is_explained_once_with_leaves_named_like_a_clerk() {
    let out = bin()
        .args(["explain", "examples/nx-hrss-2024-final", "182%"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("= 182").count(), 1, "{text}");
    assert!(
        text.contains("2080101 行政运行 · 一般公共预算财政拨款 · 基本支出  typed at"),
        "{text}"
    );
    assert!(!text.contains("functional["), "{text}");
}
