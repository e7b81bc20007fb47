//! Any department's 科目 codes build (issue 11): codes outside the embedded catalog get their
//! names from a typed `name:`, the project's `catalog:`, a catalog file the project names or
//! one given on the command line (CSV, TSV or xlsx); what no source names is an error that
//! says exactly which code needs a name and where to add it.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{run, stderr};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/catalog")
        .join(name)
}

/// The budget starter with two codes no embedded catalog names: 2120102 (its 款 21201 is
/// embedded) without a name, and 2040607 (款 20406 unnamed) with a typed name.
fn regional_budget() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    let o = run(&["init", project.to_str().unwrap(), "--kind", "budget"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let main = project.join("budgetdoc.yaml");
    let text = fs::read_to_string(&main).unwrap();
    let edited = text.replace("2080102", "2120102").replacen(
        "{ code: \"2080701\",",
        "{ code: \"2040607\", name: 公共法律服务,",
        1,
    );
    let edited = edited.replace("\"2080701\"", "\"2040607\"");
    assert_ne!(text, edited);
    fs::write(&main, edited).unwrap();
    (dir, project)
}

fn check(project: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["check", project.to_str().unwrap(), "--format", "short"];
    args.extend(extra);
    let o = run(&args);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o),
    )
}

#[test]
fn without_names_the_errors_say_which_codes_need_one_and_where() {
    let (_dir, project) = regional_budget();
    let (code, out) = check(&project, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("error[C01]: 功能分类 code `2120102` has no name in any catalog"),
        "{out}"
    );
    assert!(
        out.contains("error[C02]: the 款 `20406` of `2040607` has no name in any catalog"),
        "{out}"
    );
    assert!(
        out.contains("warning[C06]: `2040607` is in no catalog"),
        "{out}"
    );
    let o = run(&["check", project.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let hints: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["hint"].as_str())
        .collect();
    assert!(
        hints
            .iter()
            .any(|h| h.contains("`catalog: { \"20406\": <款名称> }`")),
        "{hints:?}"
    );
    // Nearest codes come from the same 款, then the same 类, never from another 类: here
    // the embedded catalog knows none under 212.
    assert!(
        !hints.iter().any(|h| h.contains("nearest known codes")),
        "{hints:?}"
    );
}

#[test]
fn a_csv_catalog_on_the_command_line_and_catalog_entries_make_it_build() {
    let (dir, project) = regional_budget();
    let csv = fixture("region.csv");
    let (code, out) = check(&project, &["--catalog", csv.to_str().unwrap()]);
    assert_eq!(code, Some(1), "20406 is still unnamed: {out}");
    assert!(!out.contains("2120102"), "named by the file: {out}");
    let main = project.join("budgetdoc.yaml");
    let text = fs::read_to_string(&main).unwrap();
    fs::write(
        &main,
        text.replacen("units:", "catalog:\n  \"20406\": 司法\n\nunits:", 1),
    )
    .unwrap();
    let (code, out) = check(&project, &["--catalog", csv.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{out}");
    let warnings: Vec<&str> = out.lines().filter(|l| l.contains("warning[")).collect();
    assert_eq!(warnings.len(), 1, "{out}");
    assert!(warnings[0].contains("warning[C06]"), "{out}");
    let pdf = dir.path().join("regional.pdf");
    let o = crate::support::bin()
        .args([
            "build",
            project.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
        ])
        .env("BUDGETDOC_CATALOG", &csv)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let compiled = budgetdoc::compile_with(
        &project,
        &budgetdoc::BuildOptions {
            catalogs: vec![csv],
            ..Default::default()
        },
    )
    .expect("compiles");
    let text = budgetdoc::render::document_text(&compiled.document);
    for name in [
        "城乡社区管理事务",
        "一般行政管理事务",
        "司法",
        "公共法律服务",
    ] {
        assert!(text.contains(name), "{name} printed");
    }
}

#[test]
fn an_xlsx_catalog_named_by_the_project_builds_without_warnings() {
    let (_dir, project) = regional_budget();
    fs::copy(
        fixture("region-2025.xlsx"),
        project.join("region-2025.xlsx"),
    )
    .unwrap();
    let main = project.join("budgetdoc.yaml");
    let text = fs::read_to_string(&main).unwrap();
    fs::write(
        &main,
        text.replacen("year: 2024", "year: 2025", 1).replacen(
            "units:",
            "catalog_file: region-2025.xlsx\n\nunits:",
            1,
        ),
    )
    .unwrap();
    let (code, out) = check(&project, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("warning[C0"), "{out}");
}

#[cfg(unix)]
#[test]
fn a_project_catalog_file_outside_the_project_is_not_read() {
    let (dir, project) = regional_budget();
    let outside = dir.path().join("outside.csv");
    fs::copy(fixture("region.csv"), &outside).unwrap();
    let main = project.join("budgetdoc.yaml");
    let text = fs::read_to_string(&main).unwrap();
    fs::write(
        &main,
        text.replacen("units:", "catalog_file: ../outside.csv\n\nunits:", 1),
    )
    .unwrap();
    let (code, out) = check(&project, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("error[C08]") && out.contains("outside the project directory"),
        "{out}"
    );
    // The same file named on the command line is the user's choice.
    let (_, out) = check(&project, &["--catalog", outside.to_str().unwrap()]);
    assert!(
        out.contains("outside the project directory"),
        "the project's setting still refused: {out}"
    );
}

#[test]
fn a_name_that_contradicts_the_embedded_catalog_warns_with_both() {
    let (_dir, project) = regional_budget();
    let csv = project.join("names.csv");
    fs::write(
        &csv,
        "2080101,行政运行支出\n2120102,一般行政管理事务\n20406,司法\n",
    )
    .unwrap();
    let main = project.join("budgetdoc.yaml");
    let text = fs::read_to_string(&main).unwrap();
    fs::write(
        &main,
        text.replacen("units:", "catalog_file: names.csv\n\nunits:", 1),
    )
    .unwrap();
    let (code, out) = check(&project, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("names.csv:1:2: warning[C07]: `2080101` is named `行政运行支出` here but `行政运行` in budgetdoc's embedded catalog"),
        "{out}"
    );
    // The catalog file is an input like the YAML: never an output.
    let before = fs::read(&csv).unwrap();
    let o = run(&[
        "build",
        project.to_str().unwrap(),
        "-o",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(fs::read(&csv).unwrap(), before);
}

#[test]
fn a_code_under_no_class_of_the_classification_is_an_error() {
    let (_dir, project) = regional_budget();
    let main = project.join("budgetdoc.yaml");
    let text = fs::read_to_string(&main).unwrap();
    fs::write(&main, text.replacen("2210201", "2910201", 1)).unwrap();
    let (code, out) = check(&project, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("`291` (the first three digits of `2910201`) is not a 类"),
        "{out}"
    );
}
