//! The mistakes a Chinese input method makes in YAML — a full-width colon after a key, a
//! tab or a full-width space in the indentation, full-width digits or a comma in an amount —
//! are each named as such at their own line and column, with the fix (exit 1, nothing built).

use std::fs;

use crate::support::{broken_project, run, stderr};

/// `check` of the budget starter edited by `edit`: the report (human format) and the line
/// and column of `needle` in the edited file.
fn report(edit: impl FnOnce(String) -> String, needle: &str) -> (String, usize, usize) {
    let dir = broken_project("budget", edit);
    let file = dir.path().join("p/budgetdoc.yaml");
    let text = fs::read_to_string(&file).unwrap();
    let (line, col) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find(needle).map(|b| (i + 1, l[..b].chars().count() + 1)))
        .unwrap_or_else(|| panic!("`{needle}` in the edited file"));
    let o = run(&["check", dir.path().join("p").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    (stderr(&o), line, col)
}

#[test]
fn a_full_width_colon_after_a_key_is_named_at_its_line() {
    let (err, line, col) = report(
        |t| t.replacen("department: ", "department：", 1),
        "：示例市人力资源和社会保障局",
    );
    assert!(
        err.contains(&format!("budgetdoc.yaml:{line}:{col}: error[L01]: a full-width colon (全角冒号 `：`) after the key `department`")),
        "{err}"
    );
    assert!(
        err.contains("type an ASCII colon and a space: `department: …`"),
        "{err}"
    );
    // In a list item too.
    let (err, line, col) = report(
        |t| t.replacen("    name: ", "    name：", 1),
        "：示例市人力资源和社会保障局机关",
    );
    assert!(
        err.contains(&format!(":{line}:{col}: error[L01]: a full-width colon")),
        "{err}"
    );
}

#[test]
fn a_tab_or_a_full_width_space_in_the_indentation_is_named() {
    let (err, line, _) = report(|t| t.replacen("\n  duties:", "\n\tduties:", 1), "\tduties");
    assert!(
        err.contains(&format!(
            ":{line}:1: error[L01]: a tab in the indentation (制表符缩进)"
        )),
        "{err}"
    );
    assert!(err.contains("replace the tab with spaces"), "{err}");
    let (err, line, _) = report(|t| t.replacen("\n  duties:", "\n　duties:", 1), "　duties");
    assert!(
        err.contains(&format!(
            ":{line}:1: error[L01]: a full-width space (全角空格"
        )),
        "{err}"
    );
}

#[test]
fn full_width_digits_or_a_comma_in_an_amount_are_named_with_the_amount_to_type() {
    let (err, line, _) = report(
        |t| t.replacen("basic: 500.00", "basic: \"５００.００\"", 1),
        "５００",
    );
    assert!(
        err.contains(&format!(":{line}:"))
            && err.contains("全角数字")
            && err.contains("type `500.00`"),
        "{err}"
    );
    let (err, line, _) = report(
        |t| t.replacen("basic: 500.00", "basic: 1，500.00", 1),
        "1，500",
    );
    assert!(
        err.contains(&format!(":{line}:"))
            && err.contains("全角逗号")
            && err.contains("type `1500.00`"),
        "{err}"
    );
}
