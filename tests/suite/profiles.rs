//! Profiles as data: each setting of a kind's profile, overridden in a copy of an example,
//! changes what the view hands the templates (and so the page), and nothing else; a 2022
//! 自治区本级 form reproduces as published with no template override; problems with profile
//! keys are located errors.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::support::{copy_dir, run, stderr};

const BUDGET: &str = "examples/zhongwei-hrss-2024-budget";
const REGIONAL: &str = "examples/nx-employment-2024-targets";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of `example` with `extra` appended to its `budgetdoc.yaml`.
fn with(example: &str, extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join(example), dir.path());
    let main = dir.path().join("budgetdoc.yaml");
    let text = fs::read_to_string(&main).unwrap();
    fs::write(&main, format!("{text}\n{extra}")).unwrap();
    dir
}

/// The view of a project that checks.
fn data(project: &Path) -> Value {
    match budgetdoc::check(project) {
        Ok(c) => c.document.data(),
        Err(d) => panic!("{project:?} does not check:\n{d}"),
    }
}

fn data_with(example: &str, extra: &str) -> Value {
    let dir = with(example, extra);
    data(dir.path())
}

/// The laid-out text of a project, without spaces and line breaks.
fn text(project: &Path) -> String {
    let compiled = budgetdoc::compile(project, &[]).expect("compiles");
    budgetdoc::render::document_text(&compiled.document).replace([' ', '\n', '\u{c}'], "")
}

// ---- The 2022 自治区本级 publication ------------------------------------------------------

#[test]
fn a_2022_regional_form_reproduces_as_published_without_a_template_override() {
    let project = root().join("tests/fixtures/targets-2022");
    assert!(!project.join("templates").exists());
    let t = text(&project);
    // 指标值, not 绩效值.
    assert!(t.contains("三级指标指标值") && !t.contains("绩效值"), "{t}");
    // 附件1 on the first form, 附件 on the others.
    assert_eq!(t.matches("附件1").count(), 1);
    assert_eq!(t.matches("附件").count(), 3);
    assert!(t.starts_with("附件12022年"), "{t}");
    // Two decimals; a zero is blank (02's 财政拨款 is typed 0).
    for amount in ["73398.00", "886.70", "71.37"] {
        assert!(t.contains(amount), "{amount}");
    }
    assert!(!t.contains("财政拨款0"), "{t}");
    // Codes beside the names.
    assert!(t.contains("303-自治区人力资源和社会保障厅"));
    assert!(t.contains("303001-自治区人才服务中心"));
    // Only the typed 二级 rows: 01 has no 质量/时效/经济/生态/可持续.
    let first = &t[..t.find("—1—").unwrap()];
    for absent in [
        "12-质量指标",
        "13-时效指标",
        "21-经济效益",
        "23-生态效益",
        "24-可持续影响",
    ] {
        assert!(!first.contains(absent), "{absent} printed");
    }
    assert!(first.contains("11-数量指标") && first.contains("14-成本指标"));
    // The empty row is a row of its own inside 11-数量指标.
    let checked = budgetdoc::check(&project).unwrap();
    let d = checked.document.data();
    let rows = &d["targets"][0]["levels"][0]["groups"][0]["rows"];
    assert_eq!(rows.as_array().unwrap().len(), 3);
    assert_eq!(rows[1]["name"], "");
    // The cost above the year's funds is accepted, with its reason.
    let o = run(&["check", "tests/fixtures/targets-2022", "--format", "short"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("02-carryover.yaml:17:30: note[T06]")
            && out.contains("accepted: 成本含上年结转资金"),
        "{out}"
    );
}

// ---- The form's settings --------------------------------------------------------------

#[test]
fn form_header_labels_and_title_come_from_the_profile() {
    let d = data_with(
        REGIONAL,
        "forms:\n  header: { value: 指标值 }\n  labels: { period: 实施期 }\n",
    );
    let t = &d["targets"][0];
    assert_eq!(t["words"]["header"]["value"], "指标值");
    assert_eq!(t["words"]["labels"]["period"], "实施期");
    assert_eq!(t["words"]["labels"]["name"], "项目名称");
    let d = data(&root().join(REGIONAL));
    assert_eq!(d["targets"][0]["words"]["header"]["value"], "绩效值");
}

#[test]
fn form_amounts_decimals_and_blank_zeros() {
    let d = data_with(REGIONAL, "forms: { amount_decimals: 2 }\n");
    assert_eq!(d["targets"][0]["funds"]["fiscal"], "10.00");
    assert_eq!(d["targets"][0]["funds"]["other"], "0.00");
    let d = data_with(REGIONAL, "forms: { zero_amounts: blank }\n");
    assert_eq!(d["targets"][0]["funds"]["fiscal"], "10");
    assert_eq!(d["targets"][0]["funds"]["other"], "");
    let d = data(&root().join(REGIONAL));
    assert_eq!(d["targets"][0]["funds"]["other"], "0");
}

#[test]
fn form_groups_print_always_or_only_when_typed() {
    let groups = |d: &Value| -> usize {
        d["targets"][0]["levels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["groups"].as_array().unwrap().len())
            .sum()
    };
    let all = data(&root().join(REGIONAL));
    assert_eq!(groups(&all), 9);
    let d = data_with(
        REGIONAL,
        "forms:\n  groups:\n    quality: { always: false }\n    timeliness: { always: false, label: 13-时效 }\n",
    );
    // 01's 质量 and 时效 are typed: still printed, under the new label.
    assert_eq!(groups(&d), 9);
    assert_eq!(
        d["targets"][0]["levels"][0]["groups"][2]["label"],
        "13-时效"
    );
    let d = data_with(
        "tests/fixtures/targets-2022",
        "forms:\n  groups:\n    quality: { always: true }\n",
    );
    let labels: Vec<String> = d["targets"][0]["levels"][0]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["label"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(labels, ["11-数量指标", "12-质量指标", "14-成本指标"]);
}

#[test]
fn explicit_empty_rows_are_an_error_unless_the_profile_prints_them() {
    let project = |extra: &str| {
        let dir = with(REGIONAL, extra);
        let form = dir.path().join("targets/01-staff-training.yaml");
        let text = fs::read_to_string(&form).unwrap();
        fs::write(
            &form,
            text.replace("    quality:\n", "    quality:\n      - {}\n"),
        )
        .unwrap();
        dir
    };
    let dir = project("");
    let o = run(&["check", dir.path().to_str().unwrap(), "--format", "short"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stdout)
            .contains("error[L03]: an indicator without 三级指标 and 指标值")
    );
    let dir = project("forms: { empty_rows: true }\n");
    let d = data(dir.path());
    assert_eq!(
        d["targets"][0]["levels"][0]["groups"][1]["rows"][0]["name"],
        ""
    );
}

#[test]
fn codes_beside_names_and_attachment_labels() {
    let d = data_with(
        REGIONAL,
        "attachment_label: 附件\nforms: { department: \"{code}-{name}\", implementer: \"{name}（{code}）\" }\n",
    );
    // No code typed: the name alone.
    assert_eq!(d["targets"][0]["department"], "自治区人力资源和社会保障厅");
    assert_eq!(d["targets"][0]["label"], "附件");
    let dir = with(
        REGIONAL,
        "forms: { department: \"{code}-{name}\", implementer: \"{name}（{code}）\" }\n",
    );
    let form = dir.path().join("targets/01-staff-training.yaml");
    let text = fs::read_to_string(&form).unwrap();
    fs::write(
        &form,
        format!("{text}department_code: \"303\"\nimplementer_code: \"303009\"\nattachment_label: 附件1\n"),
    )
    .unwrap();
    let d = data(dir.path());
    assert_eq!(
        d["targets"][0]["department"],
        "303-自治区人力资源和社会保障厅"
    );
    assert_eq!(
        d["targets"][0]["implementer"],
        "自治区就业与创业服务局（303009）"
    );
    assert_eq!(d["targets"][0]["label"], "附件1");
    assert_eq!(d["targets"][1]["label"], Value::Null);
}

// ---- The budget's settings --------------------------------------------------------------

#[test]
fn budget_units_per_part_convert_the_amounts() {
    let base = data(&root().join(BUDGET));
    assert_eq!(base["t2"]["rows"][0]["cells"][1], "42303.73");
    let d = data_with(BUDGET, "amount_units: { tables: 元 }\n");
    // Tables in 元, sentences still in 万元, the 三公 table too.
    assert_eq!(d["t2"]["rows"][0]["cells"][1], "423037300.00");
    assert_eq!(d["tables"][1]["unit_line"], "单位：元");
    assert_eq!(d["tables"][3]["unit_line"], "单位：万元");
    assert_eq!(d["t4"]["budget"], base["t4"]["budget"]);
    assert_eq!(d["narrative"]["fiscal"]["total"], "42303.73");
    assert_eq!(d["meta"]["unit"], "万元");
    let d = data_with(BUDGET, "amount_units: { text: 元, three_public: 元 }\n");
    assert_eq!(d["narrative"]["fiscal"]["total"], "423037300.00");
    assert_eq!(d["meta"]["unit"], "元");
    assert_eq!(d["tables"][3]["unit_line"], "单位：元");
    assert_eq!(d["t2"]["rows"][0]["cells"][1], "42303.73");
}

/// Whole 元 in the tables and 万元 with two decimals in the text, in one document (the 上海
/// 区级 edition's convention): each part rounds once, half-up, to its own decimals.
#[test]
fn budget_decimals_per_part_whole_yuan_tables_and_two_decimal_text() {
    let d = data_with(
        BUDGET,
        "amount_units: { tables: 元, three_public: 万元, text: 万元 }\nformat: { table_separators: true, decimals: { tables: 0 } }\n",
    );
    assert_eq!(d["t2"]["rows"][0]["cells"][1], "423,037,300");
    assert_eq!(d["narrative"]["fiscal"]["total"], "42303.73");
    assert_eq!(
        d["t4"]["budget"],
        data(&root().join(BUDGET))["t4"]["budget"]
    );
    // A part's decimals round its own figures: 1,234.5 元 prints 1,235 in a whole-元 table.
    let d = data_with(BUDGET, "format: { decimals: { tables: 1, text: 3 } }\n");
    assert_eq!(d["t2"]["rows"][0]["cells"][1], "42303.7");
    assert_eq!(d["narrative"]["fiscal"]["total"], "42303.730");
    // A key the profile does not have is a located error with the nearest keys.
    let dir = with(BUDGET, "format: { decimals: { table: 0 } }\n");
    let o = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o);
    assert!(out.contains("unknown profile key `table`"), "{out}");
    assert!(out.contains("tables"), "the nearest key: {out}");
}

#[test]
fn budget_separators_decimals_and_zero_base_wording() {
    let d = data_with(
        BUDGET,
        "format: { text_separators: true, table_separators: true, percent_decimals: 1, zero_base: \"--(基数为0,不可比)\" }\n",
    );
    assert_eq!(d["narrative"]["fiscal"]["total"], "42,303.73");
    assert_eq!(d["t2"]["rows"][0]["cells"][1], "42,303.73");
    assert_eq!(d["narrative"]["basic"]["change"]["rate_text"], "4.8%");
    let zero_base = &d["narrative"]["project"]["sentences"][8]["change"];
    assert_eq!(zero_base["base"], "0");
    assert_eq!(zero_base["rate_text"], "--(基数为0,不可比)");
    let d = data(&root().join(BUDGET));
    assert_eq!(
        d["narrative"]["project"]["sentences"][8]["change"]["rate_text"],
        Value::Null
    );
    assert_eq!(d["narrative"]["basic"]["change"]["rate_text"], "4.84%");
}

#[test]
fn budget_headings_cover_and_table_list_are_words_of_the_profile() {
    let d = data_with(
        BUDGET,
        "words:\n  cover_subtitle: \"{year}年区级部门预算\"\n  basic: （一）基本支出\n  part_header: \"{department}——{part}\"\ntables:\n  - { id: t2, title: 一般公共预算支出功能分类预算表, ordinal: 甲 }\n  - { id: t5, title: 政府性基金预算支出功能分类预算表, empty_note: \"注：本部门{year}年无政府性基金预算财政拨款安排的预算，故本表为空表。\" }\n",
    );
    assert_eq!(d["words"]["text"]["cover_subtitle"], "2024年区级部门预算");
    assert_eq!(d["words"]["text"]["basic"], "（一）基本支出");
    assert_eq!(
        d["words"]["tables"]["header"],
        "中卫市人力资源和社会保障局——预算表"
    );
    let tables = d["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 2);
    assert_eq!(tables[0]["heading"], "甲、一般公共预算支出功能分类预算表");
    assert_eq!(tables[1]["heading"], "二、政府性基金预算支出功能分类预算表");
    // The department has no 政府性基金: the note replaces the row of zeros.
    assert_eq!(
        tables[1]["empty_note"],
        "注：本部门2024年无政府性基金预算财政拨款安排的预算，故本表为空表。"
    );
}

#[test]
fn an_empty_table_prints_its_note_instead_of_zeros() {
    let dir = with(
        BUDGET,
        "tables:\n  - { id: t5, title: 政府性基金预算财政拨款支出预算表, empty_note: 注：本部门无政府性基金预算财政拨款安排的预算，故本表为空表。 }\n",
    );
    let t = text(dir.path());
    assert!(
        t.contains("注：本部门无政府性基金预算财政拨款安排的预算，故本表为空表。"),
        "{t}"
    );
    assert!(!t.contains("一、财政拨款收支预算总表"));
}

// ---- Problems with profile keys ----------------------------------------------------------

#[test]
fn an_unknown_profile_key_is_a_located_error_with_the_nearest_key() {
    let dir = with(BUDGET, "format:\n  text_separator: true\n");
    let o = run(&["check", dir.path().to_str().unwrap(), "--format", "short"]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("error[L02]: unknown profile key `text_separator`"),
        "{out}"
    );
    let o = run(&["check", dir.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert!(err.contains("did you mean `text_separators`?"), "{err}");
    assert!(err.contains("(at `format.text_separator`)"), "{err}");
    let lines = fs::read_to_string(dir.path().join("budgetdoc.yaml"))
        .unwrap()
        .lines()
        .count();
    assert!(out.contains(&format!("budgetdoc.yaml:{lines}:3:")), "{out}");
}

#[test]
fn a_wrong_value_unit_or_table_is_a_located_error() {
    for (extra, message) in [
        ("format: { percent_decimals: two }\n", "error[L02]"),
        (
            "amount_units: { tables: 千元 }\n",
            "error[U01]: unknown amount unit `千元`",
        ),
        (
            "tables: [ { id: t10, title: x } ]\n",
            "error[U01]: no table `t10` in a 部门预算",
        ),
        (
            "tables: [ { id: t1, title: x }, { id: t1, title: y } ]\n",
            "error[U01]: table `t1` is listed twice",
        ),
        ("forms: { zero_amounts: none }\n", "error[L02]"),
    ] {
        let dir = with(BUDGET, extra);
        let o = run(&["check", dir.path().to_str().unwrap(), "--format", "short"]);
        assert_eq!(o.status.code(), Some(1), "{extra}");
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            out.contains(message) && out.contains("budgetdoc.yaml:"),
            "{extra}: {out}"
        );
    }
}

// ---- The final accounts' settings ----------------------------------------------------------

const FINAL: &str = "examples/nx-hrss-2024-final";

#[test]
fn final_accounts_formats_and_words_come_from_the_profile() {
    let d = data_with(
        FINAL,
        "format: { text_separators: true, growth_decimals: 1, percent_separators: true }\nwords:\n  part3: 第三部分 情况说明\n  table_code: \"财决{id}表\"\n  unit_line: \"单位：{unit}\"\n",
    );
    let total = &d["narrative"]["total"];
    assert_eq!(total["amount"], "516,247,561.00");
    assert_eq!(total["change"]["rate_text"], "11.2%");
    assert_eq!(d["words"]["part3"], "第三部分 情况说明");
    assert_eq!(d["tables"][0]["code"], "财决01表");
    assert_eq!(d["tables"][0]["unit_line"], "单位：元");
    // Untouched keys keep the defaults.
    assert_eq!(d["words"]["part4"], "第四部分 名词解释");
    let d = data(&root().join(FINAL));
    assert_eq!(d["narrative"]["total"]["amount"], "516247561.00");
    assert_eq!(d["tables"][0]["code"], "公开01表");
}

#[test]
fn final_accounts_zero_base_wording_and_document_titles() {
    let dir = with(
        FINAL,
        "format: { zero_base: \"--(基数为0,不可比)\" }\nwords: { title: 单位决算 }\n",
    );
    let main = dir.path().join("budgetdoc.yaml");
    let yaml = fs::read_to_string(&main).unwrap();
    // A 2023 决算 of zero 一般公共预算 spending: the growth rate has no base.
    let edited = yaml.replace(
        "general_budget_expenditure: 403923024.99",
        "general_budget_expenditure: 0",
    );
    assert_ne!(edited, yaml);
    fs::write(&main, edited).unwrap();
    let d = data(dir.path());
    assert_eq!(d["meta"]["title"], "单位决算");
    assert_eq!(
        d["words"]["document_title"],
        "宁夏回族自治区人力资源和社会保障厅2024年度单位决算"
    );
    let zero_base: Vec<String> = d
        .to_string()
        .matches("--(基数为0,不可比)")
        .map(String::from)
        .collect();
    assert!(!zero_base.is_empty(), "no sentence states the zero base");
    let t = text(dir.path());
    assert!(t.contains("增长--(基数为0,不可比)"), "{t}");
}

#[test]
fn final_accounts_units_per_part_convert_the_amounts() {
    let base = data(&root().join(FINAL));
    let d = data_with(FINAL, "amount_units: { text: 万元, three_public: 万元 }\n");
    assert_eq!(d["narrative"]["total"]["amount"], "51624.76");
    assert_eq!(d["narrative"]["total"]["change"]["delta"], "5192.72");
    assert_eq!(d["meta"]["unit"], "万元");
    assert_eq!(d["t01"], base["t01"]);
    assert_eq!(d["tables"][0]["unit_line"], "金额单位：元");
    assert_eq!(d["tables"][6]["unit_line"], "金额单位：万元");
    assert_ne!(d["t07"], base["t07"]);
    // The laid-out sentences carry the converted amounts and their unit.
    let dir = with(FINAL, "amount_units: { text: 万元 }\n");
    let t = text(dir.path());
    assert!(t.contains("收、支总计51624.76万元"), "{t}");
}

/// The document's `{department}`, `{year}` and `{prior}` fill every configurable word,
/// tables' titles and unit lines included; a placeholder nothing fills is an error where it
/// is typed (R07), never printed as it is.
#[test]
fn every_configurable_word_takes_the_documents_placeholders_and_a_leftover_is_an_error() {
    let d = data_with(
        BUDGET,
        "words:\n  unit_line: \"单位：{unit}（{year}年）\"\ntables:\n  - { id: t2, title: \"{year}年一般公共预算支出表\" }\n",
    );
    assert_eq!(d["tables"][0]["title"], "2024年一般公共预算支出表");
    assert_eq!(d["tables"][0]["unit_line"], "单位：万元（2024年）");
    assert!(
        d["tables"][0]["heading"]
            .as_str()
            .unwrap()
            .contains("2024年一般公共预算支出表"),
        "{}",
        d["tables"][0]
    );
    let d = data_with(
        FINAL,
        "words:\n  unit_line: \"金额单位：{unit}（{department}）\"\n",
    );
    let unit_line = d["tables"][0]["unit_line"].as_str().unwrap();
    assert_eq!(
        unit_line,
        "金额单位：元（宁夏回族自治区人力资源和社会保障厅）"
    );

    let dir = with(
        FINAL,
        "words:\n  unit_line: \"金额单位：{unit}{currency}\"\n",
    );
    let o = run(&["check", dir.path().to_str().unwrap(), "--format", "short"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("budgetdoc.yaml:")
            && out.contains("error[R07]: `{currency}` would be printed as it is"),
        "{out}"
    );
    let pdf = dir.path().join("x.pdf");
    let o = run(&[
        "build",
        dir.path().to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!pdf.exists(), "nothing is written");
}
