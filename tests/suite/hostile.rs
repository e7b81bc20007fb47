//! Hostile input: one test per failure that probing found (issue 10), each named after what
//! it pins. Every case ends with a located message and exit code 1 (2 for a refused command
//! line), nothing lost and no input file touched. Figures of time and memory are measured
//! outside the suite (README, "Hostile input"); no test here asserts a duration.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{run, stderr};

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A fresh starter project of `kind` in `<tmp>/p`.
fn starter(kind: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    let o = run(&["init", project.to_str().unwrap(), "--kind", kind]);
    assert!(o.status.success(), "{}", stderr(&o));
    (dir, project)
}

fn edit(file: &Path, f: impl FnOnce(String) -> String) {
    let text = fs::read_to_string(file).unwrap();
    let edited = f(text.clone());
    assert_ne!(text, edited, "the edit must change {}", file.display());
    fs::write(file, edited).unwrap();
}

fn check_short(path: &Path) -> (Option<i32>, String) {
    let o = run(&["check", path.to_str().unwrap(), "--format", "short"]);
    (o.status.code(), stdout(&o) + &stderr(&o))
}

#[test]
fn hostile_inputs_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("deep.yaml");
    fs::write(
        &deep,
        format!(
            "kind: final-accounts\nx: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    )
    .unwrap();
    let bomb = dir.path().join("bomb.yaml");
    let mut text = String::from(
        "kind: final-accounts\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        text.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    fs::write(&bomb, text).unwrap();
    let big = dir.path().join("big.yaml");
    fs::write(
        &big,
        format!("kind: final-accounts\n{}", "# padding\n".repeat(2_000_000)),
    )
    .unwrap();
    let utf8 = dir.path().join("bad.yaml");
    fs::write(&utf8, b"kind: final-accounts\nname: \xff\xfe\n").unwrap();
    let binary = dir.path().join("bin.yaml");
    fs::write(
        &binary,
        (0..65536u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    for (file, message) in [
        (&deep, "nests `[`/`{` collections more than 64 deep"),
        (&bomb, "error[L01]: aliases expand the file"),
        (&big, "budgetdoc reads project files of at most 16 MB"),
        (&utf8, "is not UTF-8 text"),
        (&binary, "error[L01]"),
    ] {
        let (code, out) = check_short(file);
        assert_eq!(code, Some(1), "{}", file.display());
        assert!(out.contains(message), "{}: {out}", file.display());
    }
}

#[test]
fn output_at_an_input_file_is_refused_and_the_input_kept() {
    let (dir, project) = starter("final-accounts");
    let main = project.join("budgetdoc.yaml");
    let evaluation = project.join("evaluations/01-example.yaml");
    let single = dir.path().join("single.yaml");
    fs::copy(&main, &single).unwrap();
    for (input, output) in [
        (&project, &main),
        (&project, &evaluation),
        (&single, &single),
    ] {
        let before = fs::read(output).unwrap();
        let o = run(&[
            "build",
            input.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("is a file this build reads"), "{err}");
        assert_eq!(
            fs::read(output).unwrap(),
            before,
            "{} kept",
            output.display()
        );
    }
    // A link to an input is the input.
    #[cfg(unix)]
    {
        let link = dir.path().join("link.pdf");
        std::os::unix::fs::symlink(&main, &link).unwrap();
        let o = run(&[
            "build",
            project.to_str().unwrap(),
            "-o",
            link.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    }
    // --emit-source into the project's templates directory would overwrite its overrides.
    let emitted = dir.path().join("emitted");
    let o = run(&[
        "build",
        project.to_str().unwrap(),
        "-o",
        dir.path().join("first.pdf").to_str().unwrap(),
        "--emit-source",
        emitted.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    fs::create_dir_all(project.join("templates")).unwrap();
    let mine = fs::read_to_string(emitted.join("style.typ")).unwrap() + "// mine\n";
    fs::write(project.join("templates/style.typ"), &mine).unwrap();
    let o = run(&[
        "build",
        project.to_str().unwrap(),
        "-o",
        dir.path().join("x.pdf").to_str().unwrap(),
        "--emit-source",
        project.join("templates").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(project.join("templates/style.typ")).unwrap(),
        mine
    );
    assert!(!dir.path().join("x.pdf").exists(), "nothing written");
}

#[cfg(unix)]
#[test]
fn output_onto_a_device_or_a_directory_is_refused() {
    let (dir, project) = starter("budget");
    for output in ["/dev/null", dir.path().to_str().unwrap()] {
        let o = run(&["build", project.to_str().unwrap(), "-o", output]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{output}: {err}");
        assert!(err.contains("only writes new or regular files"), "{err}");
    }
}

#[test]
fn deep_block_nesting_is_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.yaml");
    fs::write(&file, format!("{}1\n", "- ".repeat(100_000))).unwrap();
    let (code, out) = check_short(&file);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("d.yaml:1:129: error[L01]: collections are nested more than 64 levels deep"),
        "{out}"
    );
    // The same guard serves attachment files.
    let (_dir, project) = starter("performance-targets");
    fs::write(
        project.join("targets/02-deep.yaml"),
        format!("name: x\ngoals:\n{}1\n", "  - ".repeat(30_000)),
    )
    .unwrap();
    let (code, out) = check_short(&project);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("02-deep.yaml:3:"), "{out}");
    assert!(out.contains("nested more than 64"), "{out}");
}

#[test]
fn a_scalar_alias_bomb_is_refused_before_it_expands() {
    let (_dir, project) = starter("performance-targets");
    let target = project.join("targets/01-example.yaml");
    edit(&target, |t| {
        let mut out = String::new();
        for line in t.lines() {
            if line.starts_with("goals:") {
                out.push_str(&format!("goals:\n  - &s \"{}\"\n", "x".repeat(100_000)));
                out.push_str(&"  - *s\n".repeat(1000));
            } else if !line.starts_with("  - ") || out.contains("indicators:") {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    });
    let (code, out) = check_short(&project);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("error[L01]: aliases expand the file"), "{out}");
    assert!(out.contains("01-example.yaml:"), "{out}");
}

#[test]
fn syntax_errors_in_budget_and_target_files_are_reported_as_syntax() {
    for kind in ["budget", "performance-targets"] {
        for (name, broken) in [
            ("tab", "\tyear: 2024"),
            ("unclosed bracket", "year: [2024"),
            ("unterminated quote", "year: \"2024"),
            ("second document", "year: 2024\n---\nkind: budget"),
        ] {
            let (_dir, project) = starter(kind);
            edit(&project.join("budgetdoc.yaml"), |t| {
                t.replacen("year: 2024", broken, 1)
            });
            let (code, out) = check_short(&project);
            assert_eq!(code, Some(1), "{kind}, {name}: {out}");
            assert!(!out.contains("unknown field"), "{kind}, {name}: {out}");
            assert!(out.contains("error[L01]"), "{kind}, {name}: {out}");
        }
    }
}

#[test]
fn negative_amounts_are_refused_in_every_kind() {
    let cases = [
        (
            "final-accounts",
            "budgetdoc.yaml",
            "income: { general_budget: 5000000.00 }",
            "income: { general_budget: -2000000 }",
        ),
        (
            "final-accounts",
            "budgetdoc.yaml",
            "opening: 250000.00",
            "opening: -250000.00",
        ),
        (
            "final-accounts",
            "evaluations/01-example.yaml",
            "executed: 112",
            "executed: -112",
        ),
        (
            "budget",
            "budgetdoc.yaml",
            "basic: 500.00",
            "basic: -500.00",
        ),
    ];
    for (kind, file, from, to) in cases {
        let (_dir, project) = starter(kind);
        edit(&project.join(file), |t| t.replacen(from, to, 1));
        let (code, out) = check_short(&project);
        assert_eq!(code, Some(1), "{to}: {out}");
        assert!(out.contains(&format!("{file}:")), "{to}: {out}");
        assert!(out.contains("error[L03]: amount `-"), "{to}: {out}");
        assert!(out.contains("is negative"), "{to}: {out}");
    }
}

#[test]
fn duplicate_keys_are_errors_at_both_occurrences() {
    let (_dir, project) = starter("final-accounts");
    edit(&project.join("budgetdoc.yaml"), |t| {
        t.replacen(
            "general_budget_by_class: { \"208\": 5800000.00, \"221\": 350000.00 }",
            "general_budget_by_class: { \"208\": 5800000.00, \"221\": 350000.00, \"208\": 1 }",
            1,
        )
        .replacen("year: 2024", "year: 2025\nyear: 2024", 1)
    });
    let o = run(&["check", project.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let list = v["diagnostics"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{v}");
    for d in list {
        assert_eq!(d["rule"], "L01");
        assert!(
            d["message"].as_str().unwrap().contains("appears twice"),
            "{d}"
        );
        assert!(d["related"][0]["line"].is_number(), "first occurrence: {d}");
    }
    assert_eq!(list[0]["path"], "year");
    assert_eq!(
        list[1]["path"],
        "initial_budget.general_budget_by_class.208"
    );
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_yaml() {
    let (_dir, project) = starter("final-accounts");
    let main = project.join("budgetdoc.yaml");
    let text = fs::read_to_string(&main).unwrap();
    // With the first key on line 1, where the mark used to hide it.
    let body: String = text
        .lines()
        .skip_while(|l| l.starts_with('#') || l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(&main, format!("\u{feff}{body}\n")).unwrap();
    let o = run(&["check", project.to_str().unwrap(), "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Errors after the mark keep their columns.
    fs::write(
        &main,
        format!("\u{feff}{}\n", body.replacen("year: 2024", "year: x", 1)),
    )
    .unwrap();
    let (code, out) = check_short(&project);
    assert_eq!(code, Some(1));
    assert!(out.contains("budgetdoc.yaml:3:7: error[L02]"), "{out}");
}

#[cfg(unix)]
#[test]
fn special_files_among_attachments_are_refused_without_reading() {
    let (dir, project) = starter("final-accounts");
    let fifo = project.join("evaluations/02-fifo.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    std::os::unix::fs::symlink("/dev/zero", project.join("evaluations/03-zero.yaml")).unwrap();
    let out = dir.path().join("x.pdf");
    let o = run(&[
        "build",
        project.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("02-fifo.yaml` is a FIFO, not a regular file"),
        "{err}"
    );
    assert!(
        err.contains("03-zero.yaml` resolves to `/dev/zero`, outside the project"),
        "{err}"
    );
    assert!(!out.exists());
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_project_are_not_read() {
    let (dir, project) = starter("budget");
    let secret = dir.path().join("secret.txt");
    fs::write(&secret, "#let x = \"TOP-SECRET-LINE\"\n#x\n").unwrap();
    fs::create_dir_all(project.join("templates")).unwrap();
    std::os::unix::fs::symlink(&secret, project.join("templates/main.typ")).unwrap();
    let out = dir.path().join("x.pdf");
    let o = run(&[
        "build",
        project.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("outside the project directory"), "{err}");
    assert!(!err.contains("TOP-SECRET"), "{err}");
    assert!(!out.exists());
    // A linked templates directory, and a linked main file, the same.
    fs::remove_dir_all(project.join("templates")).unwrap();
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::copy(&secret, elsewhere.join("main.typ")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, project.join("templates")).unwrap();
    let o = run(&[
        "build",
        project.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let main = project.join("budgetdoc.yaml");
    fs::rename(&main, dir.path().join("real.yaml")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("real.yaml"), &main).unwrap();
    let (code, out) = check_short(&project);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("outside the project directory"), "{out}");
    // The person running budgetdoc may name a file anywhere.
    let (code, out) = check_short(&dir.path().join("real.yaml"));
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn a_template_that_loops_for_ever_stops_at_the_deadline() {
    let (dir, project) = starter("performance-targets");
    fs::create_dir_all(project.join("templates")).unwrap();
    fs::write(
        project.join("templates/main.typ"),
        "#for i in range(100000) { for j in range(100000) { } }\n",
    )
    .unwrap();
    let out = dir.path().join("x.pdf");
    fs::write(&out, b"previous PDF").unwrap();
    let o = run(&[
        "build",
        project.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--timeout",
        "1",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("did not finish within 1 s"), "{err}");
    // The library's own deadline (for programs that embed budgetdoc) says the same.
    let options = budgetdoc::BuildOptions {
        timeout: Some(std::time::Duration::from_secs(1)),
        ..Default::default()
    };
    let e = budgetdoc::compile_with(&project, &options)
        .err()
        .expect("times out");
    assert!(e.to_string().contains("did not finish within 1 s"), "{e}");
    assert!(err.contains("--timeout"), "{err}");
    assert_eq!(fs::read(&out).unwrap(), b"previous PDF");
}

#[test]
fn a_template_memory_bomb_stops_at_the_memory_limit() {
    let (dir, project) = starter("performance-targets");
    fs::create_dir_all(project.join("templates")).unwrap();
    fs::write(
        project.join("templates/main.typ"),
        "#let a = range(100000000000)\n#a.len()\n",
    )
    .unwrap();
    let out = dir.path().join("x.pdf");
    fs::write(&out, b"previous PDF").unwrap();
    let o = run(&[
        "build",
        project.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--max-memory",
        "512",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("needed more than 512 MB of memory"), "{err}");
    assert!(err.contains("--max-memory"), "{err}");
    assert_eq!(fs::read(&out).unwrap(), b"previous PDF");
}

/// The final-accounts example as one file: its evaluations inline under `evaluations:`.
fn single_file_final_accounts(dir: &Path) -> PathBuf {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/nx-hrss-2024-final");
    let mut text = fs::read_to_string(example.join("budgetdoc.yaml")).unwrap();
    text.push_str("\nevaluations:\n");
    let mut files: Vec<PathBuf> = fs::read_dir(example.join("evaluations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        text.push_str("  -\n");
        for line in fs::read_to_string(f).unwrap().lines() {
            text.push_str("    ");
            text.push_str(line);
            text.push('\n');
        }
    }
    let file = dir.join("nx-hrss-2024-final.yaml");
    fs::write(&file, text).unwrap();
    file
}

#[test]
fn the_final_accounts_example_checks_as_a_single_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = single_file_final_accounts(dir.path());
    let o = run(&["check", file.to_str().unwrap(), "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("26 self-evaluations"), "{}", stderr(&o));
}

#[test]
fn an_empty_project_file_is_named_in_its_error() {
    for text in ["", "# only a comment\n"] {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("budgetdoc.yaml"), text).unwrap();
        let (code, out) = check_short(dir.path());
        assert_eq!(code, Some(1), "{out}");
        assert!(
            out.contains("budgetdoc.yaml:1:1: error[L02]: the file holds no YAML"),
            "{out}"
        );
    }
}

#[test]
fn a_missing_font_directory_is_a_usage_error() {
    let (dir, project) = starter("budget");
    let o = run(&[
        "build",
        project.to_str().unwrap(),
        "-o",
        dir.path().join("x.pdf").to_str().unwrap(),
        "--font-path",
        dir.path().join("no-such-fonts").to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("no-such-fonts` does not exist"), "{err}");
}

#[test]
fn short_format_stays_on_one_line_when_a_message_holds_a_line_break() {
    let (_dir, project) = starter("final-accounts");
    edit(&project.join("budgetdoc.yaml"), |t| {
        t.replacen("year: 2024", "year: 2024\n\"bad\\nkey\": 1", 1)
    });
    let (code, out) = check_short(&project);
    assert_eq!(code, Some(1));
    let diagnostics: Vec<&str> = out.lines().filter(|l| l.contains("error[")).collect();
    assert_eq!(diagnostics.len(), 1, "{out}");
    assert!(diagnostics[0].contains("bad\\nkey"), "{out}");
}

#[test]
fn vehicle_counts_near_the_integer_limit_are_refused_not_saturated() {
    let (_dir, project) = starter("final-accounts");
    edit(&project.join("budgetdoc.yaml"), |t| {
        t.replacen("leadership: 1", "leadership: 18446744073709551615", 1)
    });
    let (code, out) = check_short(&project);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("count `18446744073709551615` is implausibly large"),
        "{out}"
    );
}

#[test]
fn many_errors_in_one_file_are_all_reported_with_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("many.yaml");
    let mut text = String::from("kind: final-accounts\nbasic_by_economic:\n");
    for i in 0..2000 {
        text.push_str(&format!("  \"k{i}\": 1\n  \"k{i}\": 2\n"));
    }
    fs::write(&file, text).unwrap();
    let o = run(&["check", file.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("check failed: 2000 error(s)"),
        "{}",
        &err[err.len().saturating_sub(300)..]
    );
    assert!(
        err.contains("4002 |   \"k1999\": 2"),
        "snippet of the last one"
    );
}
