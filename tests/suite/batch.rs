//! Several projects in one run: projects found under directories in a stable order, PDFs
//! under `--out-dir` mirroring their paths, shards that cover every project once, a failing
//! project that does not stop the others, `--verify` against the PDFs on disk, and the
//! usage errors that stop a run before anything is built.

use std::path::Path;

use crate::support::{copy_dir, run, stderr};

/// A region: two departments, one project nested deeper, and a stray directory.
fn region() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let r = dir.path().join("region");
    copy_dir(
        &root.join("nx-employment-2024-targets"),
        &r.join("a/targets"),
    );
    copy_dir(
        &root.join("yongning-employment-2024-targets"),
        &r.join("b/county"),
    );
    copy_dir(
        &root.join("zhongwei-hrss-2024-budget"),
        &r.join("b/deep/budget"),
    );
    std::fs::create_dir_all(r.join("notes")).unwrap();
    dir
}

fn lines(o: &std::process::Output, prefix: &str) -> Vec<String> {
    stderr(o)
        .lines()
        .filter(|l| l.starts_with(prefix))
        .map(String::from)
        .collect()
}

#[test]
fn a_region_is_built_in_a_stable_order_into_an_out_dir_and_verified() {
    let dir = region();
    let r = dir.path().join("region");
    let out = dir.path().join("pdf");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "build",
            r.to_str().unwrap(),
            "--out-dir",
            out.to_str().unwrap(),
        ];
        a.extend_from_slice(extra);
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let run_s = |a: Vec<String>| run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let o = run_s(args(&["--jobs", "2"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ok = lines(&o, "ok ");
    assert_eq!(ok.len(), 3, "{}", stderr(&o));
    assert!(
        ok[0].contains("region/a/targets")
            && ok[1].contains("region/b/county")
            && ok[2].contains("region/b/deep/budget"),
        "{ok:?}"
    );
    for pdf in ["a/targets.pdf", "b/county.pdf", "b/deep/budget.pdf"] {
        assert!(out.join(pdf).is_file(), "{pdf}");
    }
    assert!(stderr(&o).contains("build: 3 of 3 project(s) ok, 0 failed"));
    // The same bytes as a build of each project alone.
    let alone = dir.path().join("alone.pdf");
    let o = run(&[
        "build",
        r.join("b/county").to_str().unwrap(),
        "-o",
        alone.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert_eq!(
        std::fs::read(&alone).unwrap(),
        std::fs::read(out.join("b/county.pdf")).unwrap()
    );
    // Verify: up to date; then one stale and one missing.
    let o = run_s(args(&["--verify"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::write(out.join("a/targets.pdf"), b"old").unwrap();
    std::fs::remove_file(out.join("b/county.pdf")).unwrap();
    let o = run_s(args(&["--verify"]));
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(lines(&o, "STALE ").len(), 1, "{}", stderr(&o));
    assert_eq!(lines(&o, "MISSING ").len(), 1);
    assert!(!out.join("b/county.pdf").exists(), "verify writes nothing");
}

#[test]
fn shards_cover_every_project_once() {
    let dir = region();
    let r = dir.path().join("region");
    let mut seen = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let o = run(&["check", r.to_str().unwrap(), "--shard", &shard]);
        assert!(o.status.success(), "{}", stderr(&o));
        seen.extend(lines(&o, "ok "));
    }
    seen.sort();
    assert_eq!(seen.len(), 3, "{seen:?}");
    seen.dedup();
    assert_eq!(seen.len(), 3);
}

#[test]
fn a_failing_project_does_not_stop_the_others() {
    let dir = region();
    let r = dir.path().join("region");
    std::fs::write(r.join("b/county/budgetdoc.yaml"), "kind: [broken\n").unwrap();
    let out = dir.path().join("pdf");
    let o = run(&[
        "build",
        r.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "--jobs",
        "2",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(lines(&o, "FAILED ").len(), 1, "{}", stderr(&o));
    assert!(out.join("a/targets.pdf").is_file() && out.join("b/deep/budget.pdf").is_file());
    assert!(stderr(&o).contains("build: 2 of 3 project(s) ok, 1 failed"));
    let o = run(&["check", r.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn bad_runs_stop_before_anything_is_built() {
    let dir = region();
    let r = dir.path().join("region");
    let out = dir.path().join("pdf");
    let r_s = r.to_str().unwrap();
    for (args, message) in [
        (vec!["build", r_s, "--shard", "4/3"], "is not a shard"),
        (vec!["build", r_s, "/no/such/dir"], "does not exist"),
        (
            vec!["build", r_s, "-o", "x.pdf"],
            "`-o` names the PDF of one project",
        ),
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
    }
    let inside = r.join("a/targets/targets/pdf");
    let o = run(&["build", r_s, "--out-dir", inside.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("a directory the build reads"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists() && !inside.exists());
}

#[test]
fn only_projects_whose_inputs_changed_are_rebuilt() {
    let dir = region();
    let r = dir.path().join("region");
    let out = dir.path().join("pdf");
    let build = |extra: &[&str]| {
        let mut a = vec![
            "build",
            r.to_str().unwrap(),
            "--out-dir",
            out.to_str().unwrap(),
            "--explain",
        ];
        a.extend_from_slice(extra);
        let o = run(&a);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        o
    };
    let first = build(&[]);
    assert_eq!(lines(&first, "ok ").len(), 3);
    assert_eq!(
        lines(&first, "rebuild ").len(),
        3,
        "never built: {}",
        stderr(&first)
    );
    // Nothing changed: nothing is rebuilt, and the PDFs are untouched.
    let before = std::fs::read(out.join("b/county.pdf")).unwrap();
    let second = build(&[]);
    assert_eq!(lines(&second, "ok ").len(), 0, "{}", stderr(&second));
    assert_eq!(lines(&second, "up to date ").len(), 3);
    assert_eq!(std::fs::read(out.join("b/county.pdf")).unwrap(), before);
    // One project's YAML changed: only it is rebuilt, and --explain names the file.
    let main = r.join("b/county/budgetdoc.yaml");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("{text}\n# a comment\n")).unwrap();
    let third = build(&[]);
    let rebuilt = lines(&third, "rebuild ");
    assert_eq!(rebuilt.len(), 1, "{}", stderr(&third));
    assert!(
        rebuilt[0].contains("b/county/budgetdoc.yaml` changed"),
        "{rebuilt:?}"
    );
    // A form added to another project's targets/; a PDF edited by hand.
    std::fs::copy(
        r.join("a/targets/targets/01-staff-training.yaml"),
        r.join("a/targets/targets/99-copy.yaml"),
    )
    .unwrap();
    std::fs::write(out.join("b/deep/budget.pdf"), b"edited").unwrap();
    let fourth = build(&[]);
    let rebuilt = lines(&fourth, "rebuild ");
    assert_eq!(rebuilt.len(), 2, "{}", stderr(&fourth));
    assert!(rebuilt[0].contains("targets` changed"), "{rebuilt:?}");
    assert!(
        rebuilt[1].contains("is not the PDF last built"),
        "{rebuilt:?}"
    );
    // --force rebuilds everything.
    let forced = build(&["--force"]);
    assert_eq!(lines(&forced, "ok ").len(), 3);
}

/// Four copies of the budget example without its `accept:` entries: 3 R02 warnings each.
fn four_budgets() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/zhongwei-hrss-2024-budget");
    for i in 1..=4 {
        let copy = dir.path().join(format!("r/d{i}"));
        copy_dir(&root, &copy);
        let main = copy.join("budgetdoc.yaml");
        let text = std::fs::read_to_string(&main).unwrap();
        let cut = text
            .find("\naccept:")
            .expect("the example accepts its R02 problems");
        std::fs::write(&main, &text[..cut]).unwrap();
    }
    dir
}

#[test]
fn ci_reports_stay_within_githubs_limits_and_cover_every_project() {
    let dir = four_budgets();
    let r = dir.path().join("r");
    let summary = dir.path().join("summary.md");
    let o = crate::support::bin()
        .args(["check", r.to_str().unwrap(), "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        out.lines().filter(|l| l.starts_with("::warning ")).count(),
        10,
        "{out}"
    );
    assert_eq!(
        out.lines()
            .filter(|l| l.contains(": warning[R02]:"))
            .count(),
        2,
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("::notice title=budgetdoc::0 more error(s), 2 more warning(s)")),
        "{out}"
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.contains("| project | result | PDF | errors | warnings |"),
        "{md}"
    );
    assert_eq!(md.matches("| ok |").count(), 4, "{md}");
    assert_eq!(md.matches("| warning[R02] |").count(), 12, "{md}");

    // One JSON document for all projects.
    let o = run(&["check", r.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one document");
    assert_eq!(v["projects"].as_array().unwrap().len(), 4);
    assert_eq!(v["warnings"], 12);
    assert_eq!(v["projects"][0]["diagnostics"][0]["rule"], "R02");

    // GitLab: the fingerprint does not change when the line does.
    let o = run(&[
        "check",
        r.join("d1").to_str().unwrap(),
        "--format",
        "gitlab",
    ]);
    let before: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let main = r.join("d1/budgetdoc.yaml");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("# moved\n{text}")).unwrap();
    let o = run(&[
        "check",
        r.join("d1").to_str().unwrap(),
        "--format",
        "gitlab",
    ]);
    let after: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(before[0]["fingerprint"], after[0]["fingerprint"]);
    assert_eq!(
        after[0]["location"]["lines"]["begin"].as_u64().unwrap(),
        before[0]["location"]["lines"]["begin"].as_u64().unwrap() + 1
    );
    assert_eq!(after[0]["severity"], "minor");
}
