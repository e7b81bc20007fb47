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
    let o = run(&[
        "build",
        example,
        "--xlsx",
        first.to_str().unwrap(),
        "--no-pdf",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
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
        let o = run(&[
            "build",
            "examples/nx-hrss-2024-final",
            "--xlsx",
            out.to_str().unwrap(),
            "--no-pdf",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}
