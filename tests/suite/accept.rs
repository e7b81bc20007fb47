//! Acknowledged exceptions (`accept:`): an accepted content-rule breach is a note with its
//! reason in every format and no longer blocks the build; `--deny-accepted` makes it fail;
//! a rule protecting reading and arithmetic cannot be accepted; an entry matching nothing is
//! stale.

use std::fs;

use crate::support::{run, stderr};

/// The T06 fixture (a 600 万元 cost against 60 万元 of funds) with `accept` appended.
fn project(accept: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules/T06.yaml"),
    )
    .unwrap();
    fs::write(dir.path().join("p.yaml"), format!("{text}{accept}")).unwrap();
    dir
}

const ACCEPT_T06: &str = "accept:
  - rule: T06
    at: targets[0].indicators.output.cost[0]
    reason: 含上年结转资金，按批复数公开
";

#[test]
fn an_accepted_breach_is_a_note_with_its_reason_and_the_build_goes_on() {
    let dir = project(ACCEPT_T06);
    let p = dir.path().join("p.yaml");
    let p = p.to_str().unwrap();
    let o = run(&["check", p, "--format", "short"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(":43:33: note[T06]: 成本指标 states 600 万元")
            && out.contains("(accepted: 含上年结转资金，按批复数公开)"),
        "{out}"
    );
    assert!(stderr(&o).contains("0 error(s), 0 warning(s), 1 accepted"));

    let o = run(&["check", p, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["severity"], "note");
    assert_eq!(
        v["diagnostics"][0]["accepted"],
        "含上年结转资金，按批复数公开"
    );
    assert_eq!(v["notes"], 1);
    assert_eq!(v["errors"], 0);

    let o = run(&["check", p, "--format", "github"]);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("::notice file="));

    let o = run(&["check", p]);
    assert!(
        stderr(&o).contains("= accepted: 含上年结转资金，按批复数公开"),
        "{}",
        stderr(&o)
    );

    let pdf = dir.path().join("p.pdf");
    let o = run(&["build", p, "-o", pdf.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(pdf.is_file());
}

#[test]
fn deny_accepted_fails_and_writes_nothing() {
    let dir = project(ACCEPT_T06);
    let p = dir.path().join("p.yaml");
    let pdf = dir.path().join("p.pdf");
    let o = run(&["check", p.to_str().unwrap(), "--deny-accepted"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("accepted exceptions are denied"));
    let o = run(&[
        "build",
        p.to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
        "--deny-accepted",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!pdf.exists());
}

#[test]
fn only_content_rules_can_be_accepted_and_each_entry_needs_a_reason() {
    for (entry, message) in [
        (
            "  - { rule: U02, at: year, reason: 按批复数公开 }\n",
            "error[A01]: rule U02 cannot be accepted",
        ),
        (
            "  - { rule: T66, at: year, reason: 按批复数公开 }\n",
            "error[A01]: no rule `T66`",
        ),
        (
            "  - { rule: T06, at: \"targets[0]\", reason: \" \" }\n",
            "error[A01]: an accepted exception needs its reason",
        ),
        (
            "  - { rule: T06, at: \"targets[0]\" }\n",
            "missing field `reason`",
        ),
        (
            "  - { rule: T06, at: indicators, file: targets/x.yaml, reason: 按批复数公开 }\n",
            "error[A01]: `targets/x.yaml` is not a file of this project",
        ),
    ] {
        let dir = project(&format!("accept:\n{entry}"));
        let o = run(&[
            "check",
            dir.path().join("p.yaml").to_str().unwrap(),
            "--format",
            "short",
        ]);
        assert_eq!(o.status.code(), Some(1), "{entry}");
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains(message), "{entry}: {out}");
    }
}

#[test]
fn an_entry_in_the_wrong_place_accepts_nothing_and_is_stale() {
    let dir = project(&ACCEPT_T06.replace("cost[0]", "quality[0]"));
    let o = run(&[
        "check",
        dir.path().join("p.yaml").to_str().unwrap(),
        "--format",
        "short",
    ]);
    // The breach still stops the build, and the entry that missed it is reported beside it;
    // an entry of a rule with no problem is reported once nothing else fails.
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("error[T06]") && out.contains("warning[A02]"),
        "{out}"
    );
    let o = run(&["check", "tests/rules/A02.yaml", "--format", "short"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("warning[A02]: this exception accepts nothing")
    );
}

#[test]
fn the_rule_list_says_which_rules_can_be_accepted() {
    let o = run(&["rules"]);
    let out = String::from_utf8_lossy(&o.stdout);
    let line = |id: &str| {
        out.lines()
            .find(|l| l.starts_with(&format!("{id}\t")))
            .unwrap_or_default()
            .to_string()
    };
    assert!(line("T06").contains("may be accepted"), "{out}");
    assert!(line("L02").contains("cannot be accepted"));
    assert!(line("U02").contains("cannot be accepted"));
    assert!(line("A02").contains("cannot be accepted"));
}

/// The starter publication with its form's 成本指标 at 600 万元 (T06 in an attachment), and
/// `accept` appended to the main file.
fn form_project(accept: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p");
    let o = run(&["init", p.to_str().unwrap(), "--kind", "performance-targets"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let form = p.join("targets/01-example.yaml");
    let text = fs::read_to_string(&form).unwrap();
    fs::write(
        &form,
        text.replacen(
            "{ name: 培训费, value: 60万元 }",
            "{ name: 培训费, value: 600万元 }",
            1,
        ),
    )
    .unwrap();
    let main = p.join("budgetdoc.yaml");
    let text = fs::read_to_string(&main).unwrap();
    fs::write(&main, format!("{text}{accept}")).unwrap();
    dir
}

/// The manual's example (docs/rules.md): an attachment's problem is accepted by `file:` the attachment and
/// `at:` the path inside it. An entry that misses it is reported beside the error it failed
/// to accept (A02, naming where the rule was reported), and an accepted note shows its
/// reason, not the error's advice.
#[test]
fn the_readmes_accept_example_accepts_an_attachments_problem_and_a_miss_is_shown_beside_the_error()
{
    let readme =
        fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md"))
            .unwrap();
    assert!(
        readme.contains("    file: targets/03-培训.yaml")
            && readme.contains("    at: indicators.output.cost[0]"),
        "the example in docs/rules.md changed"
    );
    let entry = "accept:
  - rule: T06
    file: targets/01-example.yaml
    at: indicators.output.cost[0]
    reason: 含上年结转资金，按批复数公开
";
    let dir = form_project(entry);
    let p = dir.path().join("p");
    let o = run(&["check", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("note[T06]") && err.contains("= accepted: 含上年结转资金"),
        "{err}"
    );
    assert!(
        !err.contains("hint:"),
        "an accepted note shows its reason, not advice: {err}"
    );

    // The path as seen from the main file misses the attachment's problem.
    let dir = form_project(&entry.replace("at: indicators", "at: targets[0].indicators"));
    let p = dir.path().join("p");
    let o = run(&["check", p.to_str().unwrap(), "--format", "short"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("error[T06]"), "{out}");
    assert!(
        out.contains("warning[A02]: this exception accepts nothing: no T06 problem at `targets[0].indicators.output.cost[0]`"),
        "{out}"
    );
    let o = run(&["check", p.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("01-example.yaml") && stderr(&o).contains("T06 is reported here"),
        "{}",
        stderr(&o)
    );
}
