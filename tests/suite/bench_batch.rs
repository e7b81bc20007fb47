//! The 100-document benchmark of issue 15 (ignored by `cargo test`; run it on a release
//! build with `cargo test --release --test suite bench_a_hundred -- --ignored --nocapture`).
//! It generates 25 variants of each example (other department names; one typed amount in
//! the 决算 and the 预算, other 项目总额 in the target forms), then measures 100 sequential
//! `budgetdoc build` processes against one `budgetdoc build <dir> --jobs 2` (whose PDFs must
//! be byte-identical to the processes'), a second run with nothing changed, and a run after
//! one project changed; peak RSS by `/usr/bin/time -v`. It prints its figures.
//!
//! `bench_a_region_in_either_layout` builds 12 departments × the four examples kept kind by
//! kind (`部门决算/d01`) and department by department (`d01/部门决算`) in one run, against 48
//! sequential processes (`cargo test --release --test suite bench_a_region -- --ignored
//! --nocapture`).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::support::{bin, copy_dir, stderr};

const EXAMPLES: [&str; 4] = [
    "nx-employment-2024-targets",
    "nx-hrss-2024-final",
    "yongning-employment-2024-targets",
    "zhongwei-hrss-2024-budget",
];

/// The amount each 决算/预算 variant changes (`NN` is the variant's number); the target
/// forms' variants change their 项目总额.
const AMOUNTS: [(&str, &str, &str); 2] = [
    (
        "nx-hrss-2024-final",
        "general_budget: 2000000.00",
        "general_budget: 20000NN.00",
    ),
    (
        "zhongwei-hrss-2024-budget",
        "prior: 300.18",
        "prior: 3NN.18",
    ),
];

/// 25 variants of each example under `region/`.
fn generate(region: &Path) -> Vec<std::path::PathBuf> {
    generate_as(region, 25, |example, i| format!("{example}-{i:02}"))
}

/// `count` variants of each example under `region/`, variant `i` of `example` at
/// `place(example, i)`.
fn generate_as(
    region: &Path,
    count: usize,
    place: impl Fn(&str, usize) -> String,
) -> Vec<std::path::PathBuf> {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut projects = Vec::new();
    for example in EXAMPLES {
        for i in 0..count {
            let p = region.join(place(example, i));
            copy_dir(&examples.join(example), &p);
            let main = p.join("budgetdoc.yaml");
            let text = std::fs::read_to_string(&main).unwrap().replacen(
                "department: ",
                &format!("department: 变体{i}"),
                1,
            );
            // One typed amount per variant, so totals, shares and sentences differ too.
            let text = match AMOUNTS.iter().find(|(e, _, _)| *e == example) {
                Some((_, from, to)) => {
                    assert!(text.contains(from), "{example}: no `{from}`");
                    text.replacen(from, &to.replace("NN", &format!("{i:02}")), 1)
                }
                None => text,
            };
            std::fs::write(&main, text).unwrap();
            let form = p.join("targets").join(
                std::fs::read_dir(p.join("targets"))
                    .ok()
                    .and_then(|d| d.flatten().map(|e| e.file_name()).min())
                    .unwrap_or_default(),
            );
            if let Ok(text) = std::fs::read_to_string(&form) {
                let edited = text.replacen(
                    "project_total: ",
                    &format!("project_total: {}", 1000 + i),
                    1,
                );
                // `project_total: 1000385.4` keeps the total above the year's funds.
                std::fs::write(&form, edited).unwrap();
            }
            projects.push(p);
        }
    }
    projects
}

fn peak_rss_mb(time_output: &str) -> u64 {
    time_output
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0)
        / 1024
}

/// Builds each project in a process of its own, into `dir/seq/<i>.pdf`; the time it took.
fn one_process_each(projects: &[std::path::PathBuf], dir: &Path) -> std::time::Duration {
    let start = Instant::now();
    for (i, p) in projects.iter().enumerate() {
        let o = bin()
            .args(["build", p.to_str().unwrap(), "-o"])
            .arg(dir.join(format!("seq/{i}.pdf")))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}: {}", p.display(), stderr(&o));
    }
    start.elapsed()
}

#[test]
#[ignore = "benchmark"]
fn bench_a_hundred_documents() {
    let dir = tempfile::tempdir().unwrap();
    let region = dir.path().join("region");
    let projects = generate(&region);
    assert_eq!(projects.len(), 100);
    let exe = env!("CARGO_BIN_EXE_budgetdoc");

    let sequential = one_process_each(&projects, dir.path());

    let batch = |extra: &[&str]| {
        let start = Instant::now();
        let o = Command::new("/usr/bin/time")
            .arg("-v")
            .arg(exe)
            .args(["build", region.to_str().unwrap(), "--out-dir"])
            .arg(dir.path().join("out"))
            .args(["--jobs", "2"])
            .args(extra)
            .output()
            .unwrap();
        let err = stderr(&o);
        assert!(o.status.success(), "{err}");
        (start.elapsed(), peak_rss_mb(&err), err)
    };
    let (first, rss, _) = batch(&[]);
    // Shared caches change nothing: each PDF is the one its own process wrote.
    for (i, p) in projects.iter().enumerate() {
        let name = p.file_name().unwrap().to_str().unwrap();
        let ours = std::fs::read(dir.path().join(format!("out/{name}.pdf"))).unwrap();
        let alone = std::fs::read(dir.path().join(format!("seq/{i}.pdf"))).unwrap();
        assert!(
            ours == alone,
            "{name}: the batch's PDF differs from its own build's"
        );
    }
    let (second, _, err2) = batch(&["--explain"]);
    assert_eq!(
        err2.lines().filter(|l| l.starts_with("rebuild ")).count(),
        0
    );
    let main = projects[37].join("budgetdoc.yaml");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("{text}\n# edited\n")).unwrap();
    let (third, _, err3) = batch(&["--explain"]);
    let rebuilt: Vec<&str> = err3.lines().filter(|l| l.starts_with("rebuild ")).collect();
    assert_eq!(rebuilt.len(), 1, "{err3}");
    println!(
        "100 documents: sequential processes {:.1} s; one run with --jobs 2 {:.1} s (×{:.2}), peak RSS {rss} MB; nothing changed {:.2} s; one project changed {:.2} s ({})",
        sequential.as_secs_f64(),
        first.as_secs_f64(),
        sequential.as_secs_f64() / first.as_secs_f64(),
        second.as_secs_f64(),
        third.as_secs_f64(),
        rebuilt[0]
    );
}

#[test]
#[ignore = "benchmark"]
fn bench_a_region_in_either_layout() {
    let dir = tempfile::tempdir().unwrap();
    let kind_first = dir.path().join("kind-first");
    let department_first = dir.path().join("department-first");
    let projects = generate_as(&kind_first, 12, |e, i| format!("{e}/d{i:02}"));
    generate_as(&department_first, 12, |e, i| format!("d{i:02}/{e}"));
    assert_eq!(projects.len(), 48);
    let exe = env!("CARGO_BIN_EXE_budgetdoc");

    let sequential = one_process_each(&projects, dir.path());

    // Another budgetdoc to compare with in the same run (e.g. an earlier commit's).
    let baseline = std::env::var("BUDGETDOC_BENCH_BASELINE").ok();
    let batch = |exe: &str, region: &Path, out: &str| {
        let start = Instant::now();
        let o = Command::new("/usr/bin/time")
            .arg("-v")
            .arg(exe)
            .args(["build", region.to_str().unwrap(), "--out-dir"])
            .arg(dir.path().join(out))
            .args(["--jobs", "2", "--force"])
            .output()
            .unwrap();
        let err = stderr(&o);
        assert!(o.status.success(), "{err}");
        (start.elapsed().as_secs_f64(), peak_rss_mb(&err))
    };
    let mut figures = Vec::new();
    for (name, region) in [
        ("kind-first", &kind_first),
        ("department-first", &department_first),
        ("kind-first", &kind_first),
        ("department-first", &department_first),
    ] {
        let (secs, rss) = batch(exe, region, name);
        figures.push(format!(
            "{name} {secs:.2} s (×{:.2}, peak RSS {rss} MB)",
            sequential.as_secs_f64() / secs
        ));
        if let Some(other) = &baseline {
            let (secs, rss) = batch(other, region, &format!("baseline-{name}"));
            figures.push(format!(
                "baseline {name} {secs:.2} s (×{:.2}, peak RSS {rss} MB)",
                sequential.as_secs_f64() / secs
            ));
        }
    }
    // The layout changes nothing in the PDFs.
    for (i, p) in projects.iter().enumerate() {
        let rel = p.strip_prefix(&kind_first).unwrap();
        let (example, department) = (rel.parent().unwrap(), rel.file_name().unwrap());
        let a = std::fs::read(
            dir.path()
                .join("kind-first")
                .join(rel)
                .with_extension("pdf"),
        )
        .unwrap();
        let b = std::fs::read(
            dir.path()
                .join("department-first")
                .join(department)
                .join(example)
                .with_extension("pdf"),
        )
        .unwrap();
        let alone = std::fs::read(dir.path().join(format!("seq/{i}.pdf"))).unwrap();
        assert!(a == alone && b == alone, "{}", rel.display());
    }
    println!(
        "48 documents (12 departments × 4 kinds): sequential processes {:.2} s; one run with --jobs 2: {}",
        sequential.as_secs_f64(),
        figures.join("; ")
    );
}
