//! The rule catalog's fixtures: `tests/rules/<ID>.yaml` is the smallest project that breaks
//! exactly rule `<ID>`; `tests/rules/<ID>.expected` is the snapshot of `budgetdoc check
//! --format short` on it, so a change in any message or position shows in review.
//! `BUDGETDOC_BLESS=1 cargo test --test suite rules::` rewrites the snapshots.

use std::fs;
use std::path::Path;

use crate::support::run;
use budgetdoc::rules::{Enforcement, RULES};

#[test]
fn every_checked_rule_has_a_fixture_and_each_fixture_matches_its_snapshot() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
    let bless = std::env::var_os("BUDGETDOC_BLESS").is_some();
    let mut failures = Vec::new();
    for rule in RULES {
        let fixture = dir.join(format!("{}.yaml", rule.id));
        if rule.enforcement != Enforcement::Checked {
            assert!(
                !fixture.exists(),
                "{} is by construction but has a fixture",
                rule.id
            );
            continue;
        }
        assert!(
            fixture.is_file(),
            "rule {} has no fixture {}",
            rule.id,
            fixture.display()
        );
        let rel = format!("tests/rules/{}.yaml", rule.id);
        let o = run(&["check", &rel, "--format", "short"]);
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        // Exactly this rule breaks, with its severity deciding the exit code.
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "{}: expected one diagnostic, got:\n{out}",
            rule.id
        );
        assert!(
            lines[0].contains(&format!("[{}]: ", rule.id)),
            "{}: {out}",
            rule.id
        );
        let expected_code = match rule.severity {
            budgetdoc::diag::Severity::Error => 1,
            budgetdoc::diag::Severity::Warning | budgetdoc::diag::Severity::Note => 0,
        };
        assert_eq!(
            o.status.code(),
            Some(expected_code),
            "{}: exit code",
            rule.id
        );
        let snapshot = dir.join(format!("{}.expected", rule.id));
        if bless {
            fs::write(&snapshot, &out).unwrap();
        } else {
            let want = fs::read_to_string(&snapshot).unwrap_or_default();
            if want != out {
                failures.push(format!("{}:\n  want: {}  got:  {}", rule.id, want, out));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "snapshots differ:\n{}",
        failures.join("\n")
    );
}

#[test]
fn deny_warnings_turns_a_warning_into_a_failure() {
    let o = run(&["check", "tests/rules/R01.yaml", "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&["check", "tests/rules/R01.yaml"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn json_and_github_formats_carry_the_same_location() {
    let o = run(&["check", "tests/rules/F15.yaml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON document");
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "F15");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "tests/rules/F15.yaml");
    let short = String::from_utf8_lossy(
        &run(&["check", "tests/rules/F15.yaml", "--format", "short"]).stdout,
    )
    .into_owned();
    assert!(
        short.starts_with(&format!(
            "tests/rules/F15.yaml:{}:{}: error[F15]",
            d["line"], d["column"]
        )),
        "{short}"
    );
    assert!(
        d["related"][0]["line"].is_number(),
        "the 05表 side is a related location"
    );
    let o = run(&["check", "tests/rules/F15.yaml", "--format", "github"]);
    let gh = String::from_utf8_lossy(&o.stdout);
    assert!(
        gh.starts_with(&format!(
            "::error file=tests/rules/F15.yaml,line={},col={},title=budgetdoc F15::",
            d["line"], d["column"]
        )),
        "{gh}"
    );
}

#[test]
fn human_format_shows_the_source_line_with_a_caret() {
    let o = run(&["check", "tests/rules/L02.yaml"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("36 |   opning: 250000.00"), "{err}");
    assert!(err.contains("   |   ^^^^^^\n"), "{err}");
    assert!(err.contains("did you mean `opening`?"), "{err}");
}

#[test]
fn unknown_codes_get_the_nearest_catalog_codes() {
    let o = run(&["check", "tests/rules/C01.yaml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let hint = v["diagnostics"][0]["hint"].as_str().unwrap();
    assert!(hint.contains("2210201 住房公积金"), "{hint}");
}

#[test]
fn build_refuses_to_write_with_errors_and_prints_the_same_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.pdf");
    let o = run(&[
        "build",
        "tests/rules/F15.yaml",
        "-o",
        out.to_str().unwrap(),
        "--format",
        "short",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists());
    let check = run(&["check", "tests/rules/F15.yaml", "--format", "short"]);
    assert_eq!(o.stdout, check.stdout);
}

#[test]
fn the_examples_check_clean_except_the_notes_their_readmes_explain() {
    for example in [
        "examples/nx-hrss-2024-final",
        "examples/zhongwei-hrss-2024-budget",
        "examples/nx-employment-2024-targets",
        "examples/yongning-employment-2024-targets",
        "examples/shanghai-district-2026-budget",
    ] {
        let o = run(&["check", example, "--deny-warnings"]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{example}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let o = run(&[
        "check",
        "examples/zhongwei-hrss-2024-budget",
        "--format",
        "short",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(out.lines().all(|l| l.contains("note[R02]")), "{out}");
}

#[test]
fn changing_one_06_amount_of_the_final_accounts_example_fails_f15_with_both_sums() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    fs::create_dir_all(&project).unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/nx-hrss-2024-final");
    let text = fs::read_to_string(example.join("budgetdoc.yaml")).unwrap();
    let edited = text.replacen("  \"30217\": 40742.26", "  \"30217\": 40752.26", 1);
    assert_ne!(text, edited);
    fs::write(project.join("budgetdoc.yaml"), edited).unwrap();
    let o = run(&["check", project.to_str().unwrap(), "--format", "short"]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains(": error[F15]: 06表 基本支出 by 经济分类 sums to 99745730.85 but 05表 基本支出 by 功能分类 sums to 99745720.85 (difference 10)"), "{out}");
    let o = run(&["check", project.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "F15");
    let position = format!("budgetdoc.yaml:{}:{}: error[F15]", d["line"], d["column"]);
    assert!(
        out.contains(&position),
        "json and short agree: {position} / {out}"
    );
}
