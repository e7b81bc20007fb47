//! The CLI end to end: the example builds and its document holds the seed's figures; each
//! class of bad input fails with its position and leaves an existing PDF untouched; builds
//! are byte-identical; `init` writes a project that builds.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::support::{bin, run, stderr};

const EXAMPLE: &str = "examples/nx-hrss-2024-final";

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE)
}

/// The example's laid-out text, computed once for all tests that read it.
fn example_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let compiled = budgetdoc::compile(&example_dir(), &[]).expect("example compiles");
        budgetdoc::render::document_text(&compiled.document)
    })
}

/// The text without page numbers, line breaks and thousands separators, for number lookups.
fn example_numbers() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        example_text()
            .lines()
            .filter(|l| !(l.starts_with("— ") && l.ends_with(" —")))
            .collect::<String>()
            .replace([',', ' ', '\u{c}'], "")
    })
}

#[test]
fn example_builds_with_exit_code_0() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.pdf");
    let o = run(&["build", EXAMPLE, "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(stderr(&o).contains("0 error(s)"), "{}", stderr(&o));
}

#[test]
fn every_amount_of_the_nine_tables_is_in_the_document() {
    let fixture = include_str!("../fixtures/seed-002-table-amounts.txt");
    let text = example_numbers();
    let mut missing = Vec::new();
    for token in fixture
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let plain = token.replace(',', "");
        // The document prints every amount with two decimals.
        let expected = match plain.split_once('.') {
            Some((int, frac)) => format!("{int}.{frac:0<2}"),
            None => plain.clone(),
        };
        if !text.contains(&expected) {
            missing.push(token.to_string());
        }
    }
    assert!(missing.is_empty(), "not in the document: {missing:?}");
}

#[test]
fn narrative_figures_the_seed_computes_correctly() {
    let text = example_numbers();
    for expected in [
        "收、支总计516247561.00元",
        "增长11.18%",
        "财政拨款收入467782266.28元，占98.98%",
        "占本年支出合计的99.01%",
        "增长11.39%",
        "增长9.36%",
        "社会保障和就业支出418144219.93元，占94.66%",
        "完成年初预算的175%",
        "完成年初预算的104%",
        "完成预算的56.85%",
        "增加112595.93元，增长30.38%",
        "完成预算的85.37%",
        "增加106031.67元，增长32.72%",
        "完成预算的49.78%",
        "占政府采购支出总额的64.76%",
        "占授予中小企业合同金额的61.81%",
        "减少3495971.74元，下降33.62%",
        "共涉及资金33161.73万元，占一般公共预算项目支出总额的96.97%",
        "共有车辆9辆",
    ] {
        assert!(
            text.contains(expected),
            "missing narrative figure `{expected}`"
        );
    }
}

#[test]
fn narrative_follows_the_tables_where_the_seed_contradicts_itself() {
    let text = example_numbers();
    // Seed 五(三)3 prints 175% for 社会保障和就业支出; 418144219.93 / 230315384.56 = 181.55%.
    assert!(text.contains("418144219.93元，完成年初预算的182%"));
    // Seed 六 uses all-funds amounts; the 06表 amount of 工资福利支出 is 86396618.35.
    assert!(text.contains("工资福利支出86396618.35元"));
    // Seed 二 names the 2147861.60 事业收入 (02表) while 01表 prints it as 上级补助收入.
    assert!(text.contains("事业收入2147861.60元，占0.45%"));
}

#[test]
fn all_26_self_evaluations_with_titles_and_scores() {
    let text = example_numbers();
    let checked = budgetdoc::check(&example_dir()).unwrap();
    let doc = checked
        .document
        .of::<budgetdoc::kinds::final_accounts::FinalAccounts>()
        .expect("the example is a 部门决算");
    let (validated, derived) = (&doc.valid, &doc.figures);
    assert_eq!(derived.evaluations.len(), 26);
    for (i, e) in validated.evaluations().iter().enumerate() {
        let title = format!("自治区项目支出绩效自评表（项目{}）", i + 1);
        assert!(text.contains(&title), "missing `{title}`");
        let name = e.name.as_str().replace(' ', "");
        assert!(text.contains(&name), "missing project name `{name}`");
    }
    // 总分 the seed prints and the data confirms (the others are rounded in the seed).
    for score in [
        "92.87", "90.00", "90.89", "97.33", "100.00", "98.00", "96.00",
    ] {
        assert!(text.contains(score), "missing 总分 {score}");
    }
    // 平均得分 is the mean of the 26 derived 总分.
    assert!(text.contains("项目自评平均得分为"));
}

#[test]
fn tables_keep_their_fixed_rows_and_empty_tables_say_so() {
    let text = example_text();
    for row in [
        "二十六、抗疫特别国债安排的支出",
        "二、外交支出",
        "30212",
        "因公出国（境）费用",
    ] {
        assert!(text.contains(row), "missing fixed row `{row}`");
    }
    assert!(
        text.contains(
            "本部门2024年度无政府性基金预算财政拨款收入、支出及结转和结余，故本表无数据。"
        )
    );
    assert!(text.contains("本部门2024年度无国有资本经营预算财政拨款支出，故本表无数据。"));
    for code in ["公开01表", "公开05表", "公开09表", "金额单位：元"] {
        assert!(text.contains(code), "missing `{code}`");
    }
}

#[test]
fn regional_variants_unit_table_list_zero_bases_and_funds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wan-yuan-variants");
    let compiled = budgetdoc::compile(&dir, &[]).expect("fixture compiles");
    let text = budgetdoc::render::document_text(&compiled.document);
    let flat: String = text
        .lines()
        .filter(|l| !(l.starts_with("— ") && l.ends_with(" —")))
        .collect::<String>()
        .replace([',', ' ', '\u{c}'], "");
    // 万元 everywhere; 134.625 rounds half-up to 134.63.
    assert!(flat.contains("金额单位：万元"));
    assert!(flat.contains("收、支总计134.63万元"), "{flat}");
    // Against a zero base the growth rate is left out, the change stays.
    assert!(
        flat.contains("收、支总计各增加134.63万元，主要原因"),
        "{flat}"
    );
    // Against a zero 年初预算 there is no completion rate.
    assert!(
        flat.contains(
            "年初预算为0.00万元，支出决算为90.25万元。决算数大于预算数的主要原因是年初未安排预算。"
        ),
        "{flat}"
    );
    // 08表: 年末结转和结余 = 3 + 20 − 15.5; the same in 八.
    assert!(flat.contains("年末结转和结余7.50万元"), "{flat}");
    assert!(flat.contains("7.50"));
    // 九: 国有资本经营 spent 4.125 万元, printed 4.13; 04表 closing 0.
    assert!(flat.contains("支出4.13万元"), "{flat}");
    // The table list: its order, the renamed title, and no other table.
    let one = flat
        .find("一、一般公共预算财政拨款支出决算表")
        .expect("05 first");
    let two = flat
        .find("二、部门收支决算总表")
        .expect("01 second, renamed");
    assert!(one < two);
    assert!(flat.contains("三、政府性基金预算财政拨款收入支出决算表"));
    assert!(!flat.contains("公开02表") && !flat.contains("公开09表"));
    // The project's glossary replaces the default one.
    assert!(flat.contains("1.测试术语：测试解释。"));
    assert!(!flat.contains("财政拨款收入：指本级财政"));
}

#[test]
fn two_builds_give_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.pdf");
    let b = dir.path().join("sub/b.pdf");
    for out in [&a, &b] {
        let o = run(&["build", EXAMPLE, "-o", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(fs::read(&a).unwrap(), fs::read(&b).unwrap());
}

#[test]
fn source_date_epoch_sets_the_date_when_the_data_has_none() {
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str, epoch: &str| {
        let p = dir.path().join(name);
        let o = bin()
            .args(["build", EXAMPLE, "-o", p.to_str().unwrap()])
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        fs::read(p).unwrap()
    };
    let a = out("a.pdf", "1756684800");
    let b = out("b.pdf", "1756684800");
    let c = out("c.pdf", "1700000000");
    assert_eq!(a, b);
    assert_ne!(a, c);
    let s = String::from_utf8_lossy(&a);
    assert!(
        s.contains("D:20250901"),
        "creation date from SOURCE_DATE_EPOCH"
    );
}

#[test]
fn init_writes_a_project_that_checks_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("new");
    let o = run(&[
        "init",
        project.to_str().unwrap(),
        "--kind",
        "final-accounts",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["check", project.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["build", project.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(project.join("out/new.pdf").is_file(), "default output path");
    // init refuses to overwrite.
    let o = run(&["init", project.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn emit_source_writes_what_was_compiled() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let o = run(&[
        "build",
        EXAMPLE,
        "-o",
        dir.path().join("x.pdf").to_str().unwrap(),
        "--emit-source",
        src.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [
        "main.typ",
        "style.typ",
        "tables.typ",
        "narrative.typ",
        "evaluation.typ",
        "data.json",
    ] {
        assert!(src.join(f).is_file(), "missing {f}");
    }
    assert!(src.join("fonts/NotoSerifSC-Regular.otf").is_file());
    let data = fs::read_to_string(src.join("data.json")).unwrap();
    assert!(data.contains("\"516,247,561.00\""));
}

#[test]
fn usage_errors_exit_2() {
    // Without a path, the current directory; one that holds no project is a usage error.
    let empty = tempfile::tempdir().unwrap();
    let o = crate::support::bin()
        .arg("build")
        .current_dir(empty.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("`.` holds no project"));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        run(&["init", "x", "--kind", "nonsense"]).status.code(),
        Some(2)
    );
}

/// A copy of the final-accounts starter with `budgetdoc.yaml` edited by `edit`.
fn broken_project(edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    crate::support::broken_project("final-accounts", edit)
}

fn assert_fails(dir: &tempfile::TempDir, position: &str, path: &str, message: &str) -> String {
    crate::support::assert_fails(dir, "budgetdoc.yaml", position, path, message)
}

#[test]
fn bad_input_yaml_syntax_error() {
    let dir = broken_project(|t| t.replace("  opening: 250000.00", "\topening: 250000.00"));
    assert_fails(&dir, "35:1", "", "a tab in the indentation (制表符缩进)");
    let dir = broken_project(|t| t.replace("  opening: 250000.00", "  opening: [250000.00"));
    assert_fails(&dir, "36:3", "", "did not find expected");
}

#[test]
fn bad_input_wrong_type() {
    let dir = broken_project(|t| t.replace("year: 2024 ", "year: 二〇二四 "));
    assert_fails(&dir, "8:7", "`year`", "invalid type");
}

#[test]
fn bad_input_unknown_key() {
    let dir = broken_project(|t| t.replace("  opening: 250000.00", "  openning: 250000.00"));
    assert_fails(
        &dir,
        "35:3",
        "`balances.openning`",
        "unknown field `openning`",
    );
}

#[test]
fn bad_input_missing_required_field() {
    let dir =
        broken_project(|t| t.replace("department: 示例市人力资源和社会保障局", "# no department"));
    assert_fails(&dir, "6:1", "", "missing field `department`");
}

#[test]
fn bad_input_unknown_code() {
    let dir = broken_project(|t| t.replace("code: \"2080799\"", "code: \"2089998\""));
    assert_fails(
        &dir,
        "25:11",
        "`functional[1].code`",
        "功能分类 code `2089998` has no name in any catalog",
    );
}

#[test]
fn bad_input_three_decimals_in_yuan() {
    let dir = broken_project(|t| t.replace("opening: 250000.00", "opening: 250000.005"));
    assert_fails(&dir, "35:12", "`balances.opening`", "has 3 decimals");
}

#[test]
fn bad_input_text_where_a_number_belongs() {
    let dir = broken_project(|t| t.replace("\"30101\": 2100000.00", "\"30101\": 二百一十万"));
    assert_fails(
        &dir,
        "41:12",
        "`basic_by_economic.30101`",
        "expected an amount",
    );
}

#[test]
fn bad_input_in_an_evaluation_file_points_at_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    assert!(run(&["init", project.to_str().unwrap()]).status.success());
    let file = project.join("evaluations/01-example.yaml");
    let text = fs::read_to_string(&file)
        .unwrap()
        .replace("executed: 112 }", "executed: 一百一十二 }");
    fs::write(&file, text).unwrap();
    let o = run(&["check", project.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("01-example.yaml:7:"), "{err}");
    assert!(err.contains("funds.current_year.executed"), "{err}");
}

#[test]
fn a_typed_name_that_disagrees_with_the_catalog_is_a_warning() {
    let dir = broken_project(|t| {
        t.replace(
            "  - code: \"2080101\"          # 行政运行",
            "  - code: \"2080101\"\n    name: 行政支出",
        )
    });
    let o = run(&["check", dir.path().join("p").to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning[C05]: name `行政支出` differs from the catalog's `行政运行`"),
        "{err}"
    );
    assert!(err.contains("budgetdoc.yaml:22:11"), "{err}");
}

#[test]
fn weird_input_never_panics() {
    for text in [
        "",
        "~",
        "[]",
        "kind: final-accounts",
        "kind: final-accounts\nyear: 99999999999999999999",
        "kind: final-accounts\ndepartment: x\nyear: 2024\noverview: {}\nfunctional: [{code: \"\"}]",
        "kind: final-accounts\ndepartment: x\nyear: 2024\noverview: {}\nbalances: {opening: 1e400}",
        "kind: final-accounts\ndepartment: x\nyear: 2024\noverview: {}\nbalances: {opening: 79228162514264337593543950336}",
        "kind: final-accounts\ndepartment: x\nyear: 2024\noverview: {}\nfunctional: [{code: \"2080101\", general_budget: {basic: -5}}]",
        "kind: final-accounts\ndepartment: x\nyear: 2024\noverview: {}\nbalances: {opening: 9999999999999999}",
        "kind: final-accounts\ndepartment: x\nyear: 2024\noverview: {}\nfunctional: [{code: \"2080101\", income: {general_budget: 9999999999999999.99, other: 9999999999999999.99}}]",
        "kind: final-accounts\ndepartment: x\nyear: 2024\noverview: {}\nassets: {vehicles: {leadership: 18446744073709551615, other: 18446744073709551615}}",
        "kind: final-accounts\ndepartment: x\nyear: 2024\noverview: {}\nbalances: {opening: 0.01}\nprior_year: {total_income: 0.01, opening: -0.01}",
        "kind: [\n",
        "\u{feff}kind: final-accounts",
        "kind: budget",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("budgetdoc.yaml");
        fs::write(&file, text).unwrap();
        let o = run(&["build", dir.path().to_str().unwrap()]);
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "panic on {text:?}: {err}");
        assert!(
            matches!(o.status.code(), Some(0) | Some(1)),
            "{text:?}: {err}"
        );
    }
}

#[test]
fn version_completions_manpage_and_colour_follow_the_conventions() {
    let o = run(&["--version"]);
    let v = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success());
    assert!(
        v.starts_with(&format!("budgetdoc {} (", env!("CARGO_PKG_VERSION")))
            && v.trim_end().ends_with(')'),
        "{v}"
    );
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = run(&["completions", shell]);
        assert!(o.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(
            script.contains("budgetdoc")
                && script.contains("preview")
                && script.contains("deny-warnings"),
            "{shell}"
        );
    }
    let o = run(&["manpage"]);
    let man = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success() && man.contains(".TH budgetdoc 1") && man.contains("explain"),
        "{man}"
    );
    // The human report: colour always, never, and never under NO_COLOR in auto.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("budgetdoc.yaml"), "kind: budget\nyear: x\n").unwrap();
    let p = dir.path().to_str().unwrap();
    let coloured = |args: &[&str]| stderr(&run(args)).contains("\u{1b}[");
    assert!(coloured(&["check", p, "--color", "always"]));
    assert!(!coloured(&["check", p, "--color", "never"]));
    assert!(!coloured(&["check", p]), "not a terminal: no colour");
}

#[test]
fn forge_reports_name_files_from_the_repository_root_without_dot_slash() {
    let o = crate::support::bin()
        .args(["check", "./zhongwei-hrss-2024-budget", "--format", "github"])
        .current_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"))
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        out.contains("file=examples/zhongwei-hrss-2024-budget/budgetdoc.yaml,"),
        "{out}"
    );
    let o = crate::support::bin()
        .args(["check", "./zhongwei-hrss-2024-budget", "--format", "gitlab"])
        .current_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"))
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        out.contains("\"path\": \"examples/zhongwei-hrss-2024-budget/budgetdoc.yaml\""),
        "{out}"
    );
}
