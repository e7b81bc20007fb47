//! What a hostile or careless user found in runs of several projects, `watch`, `preview`,
//! `explain` and `import`: silent wrong output, hangs and runaway work. One test per case,
//! named after it; each failed before its fix.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{bin, copy_dir, rewrite_xml, run, stderr};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// Runs budgetdoc in `cwd` with `args`, killed (and the test failed) after `limit`.
fn run_within(cwd: &Path, args: &[&str], env: &[(&str, &str)], limit: Duration) -> Output {
    let mut command = bin();
    command.current_dir(cwd).args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    finish_within(child, limit, &format!("{args:?}"))
}

fn finish_within(mut child: Child, limit: Duration, what: &str) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let o = child.wait_with_output().unwrap();
            panic!("{what} still ran after {limit:?}: {}", stderr(&o));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn lines(o: &Output, prefix: &str) -> Vec<String> {
    stderr(o)
        .lines()
        .filter(|l| l.starts_with(prefix))
        .map(String::from)
        .collect()
}

const MINUTE: Duration = Duration::from_secs(60);

#[test]
fn two_roots_holding_projects_of_the_same_name_share_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_dir(&example("nx-employment-2024-targets"), &d.join("r1/人社局"));
    copy_dir(
        &example("yongning-employment-2024-targets"),
        &d.join("r2/人社局"),
    );
    for jobs in ["1", "2"] {
        let o = run_within(
            d,
            &["build", "r1", "r2", "--out-dir", "pdf", "--jobs", jobs],
            &[],
            MINUTE,
        );
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("r1/人社局")
                && err.contains("r2/人社局")
                && err.contains("pdf/人社局.pdf"),
            "{err}"
        );
        assert!(!d.join("pdf").exists(), "refused before anything is built");
    }
    // In every shard, whichever of the two it holds.
    for shard in ["1/2", "2/2"] {
        let args = ["build", "r1", "r2", "--out-dir", "pdf", "--shard", shard];
        let o = run_within(d, &args, &[], MINUTE);
        assert_eq!(o.status.code(), Some(2), "{shard}: {}", stderr(&o));
    }
    // Their common parent keeps them apart.
    let o = run_within(d, &["build", ".", "--out-dir", "pdf"], &[], MINUTE);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(d.join("pdf/r1/人社局.pdf").is_file() && d.join("pdf/r2/人社局.pdf").is_file());
    // One run after the other into one directory: the second project's PDF is never the
    // first's called up to date.
    let alone = |root: &str| {
        let pdf = d.join(format!("{root}.pdf"));
        let o = run_within(
            d,
            &[
                "build",
                &format!("{root}/人社局"),
                "-o",
                pdf.to_str().unwrap(),
            ],
            &[],
            MINUTE,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::read(pdf).unwrap()
    };
    for root in ["r1", "r2", "r1"] {
        let o = run_within(
            d,
            &["build", root, "--out-dir", "shared", "--explain"],
            &[],
            MINUTE,
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(lines(&o, "ok ").len(), 1, "{root}: {}", stderr(&o));
        assert_eq!(
            std::fs::read(d.join("shared/人社局.pdf")).unwrap(),
            alone(root)
        );
    }
}

#[test]
fn a_file_saved_while_its_project_builds_is_not_recorded_as_built() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    copy_dir(&example("nx-employment-2024-targets"), &project);
    let main = project.join("budgetdoc.yaml");
    let pdf = dir.path().join("p.pdf");
    let options = budgetdoc::BuildOptions {
        output: Some(pdf.clone()),
        ..Default::default()
    };
    let report = budgetdoc::build(&project, &options).unwrap();
    // The save lands after the build read the file and before its record is written.
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("{text}\n# saved meanwhile\n")).unwrap();
    budgetdoc::freshness::record(&pdf, "setup", &main, &report.digest, &report.read).unwrap();
    match budgetdoc::freshness::check(&pdf, "setup", &main) {
        budgetdoc::freshness::Freshness::Stale(why) => {
            assert!(why.contains("budgetdoc.yaml` changed"), "{why}")
        }
        up => panic!("the PDF of the old text is called {up:?}"),
    }
    // What the record holds is what was read: the old text, the forms and their listing.
    std::fs::write(&main, &text).unwrap();
    assert_eq!(
        budgetdoc::freshness::check(&pdf, "setup", &main),
        budgetdoc::freshness::Freshness::UpToDate
    );
    assert!(
        report
            .read
            .iter()
            .any(|(p, _)| *p == project.join("targets"))
    );
    assert!(
        report
            .read
            .iter()
            .any(|(p, _)| *p == project.join("targets/01-staff-training.yaml"))
    );
}

#[test]
fn one_project_named_three_ways_is_built_once() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &example("nx-employment-2024-targets"),
        &dir.path().join("p"),
    );
    for _ in 0..5 {
        let o = run_within(
            dir.path(),
            &[
                "build",
                "p",
                "./p",
                "p/budgetdoc.yaml",
                "--jobs",
                "2",
                "--force",
            ],
            &[],
            MINUTE,
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(lines(&o, "ok ").len(), 1, "{}", stderr(&o));
        assert!(stderr(&o).contains("build: 1 of 1 project(s) ok"));
        assert!(dir.path().join("p/out/p.pdf").is_file());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("p/out"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}

#[test]
fn a_directory_without_projects_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("empty/notes")).unwrap();
    for verb in ["build", "check"] {
        let o = run_within(dir.path(), &[verb, "empty"], &[], MINUTE);
        assert_eq!(o.status.code(), Some(2), "{verb}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("`empty` holds no project: 2 directories searched"),
            "{err}"
        );
        assert!(!err.contains("0 of 0"), "{err}");
    }
}

#[cfg(unix)]
#[test]
fn a_batch_build_with_a_font_directory_linking_to_itself_ends() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_dir(&example("nx-employment-2024-targets"), &d.join("r/a"));
    copy_dir(&example("yongning-employment-2024-targets"), &d.join("r/b"));
    std::fs::create_dir_all(d.join("fonts")).unwrap();
    std::os::unix::fs::symlink(".", d.join("fonts/one")).unwrap();
    std::os::unix::fs::symlink(".", d.join("fonts/two")).unwrap();
    let args = ["build", "r", "--out-dir", "pdf", "--font-path", "fonts"];
    let o = run_within(d, &args, &[], MINUTE);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(lines(&o, "ok ").len(), 2);
    // And the record's key over the fonts is stable: nothing changed, nothing rebuilt.
    let o = run_within(d, &args, &[], MINUTE);
    assert!(
        stderr(&o).contains("2 project(s) up to date"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn watch_refuses_an_output_among_the_projects_inputs() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &example("nx-employment-2024-targets"),
        &dir.path().join("p"),
    );
    std::fs::create_dir_all(dir.path().join("p/templates")).unwrap();
    for out in [
        "p/targets/x.pdf",
        "p/templates/x.pdf",
        "p/evaluations/new/x.pdf",
    ] {
        let o = run_within(dir.path(), &["watch", "p", "-o", out], &[], MINUTE);
        assert_eq!(o.status.code(), Some(2), "{out}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("a directory the build reads"),
            "{}",
            stderr(&o)
        );
        assert!(!dir.path().join(out).exists());
    }
    let o = run_within(
        dir.path(),
        &["build", "p", "-o", "p/targets/x.pdf"],
        &[],
        MINUTE,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// A template override that does not end in any useful time (Typst stops a `while` after
/// 10,000 rounds, never a `for`).
const LOOPING: &str = "#for i in range(1000000) { for j in range(1000000) { } }\n";

fn looping_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p");
    copy_dir(&example("nx-employment-2024-targets"), &p);
    std::fs::create_dir_all(p.join("templates")).unwrap();
    std::fs::write(p.join("templates/main.typ"), LOOPING).unwrap();
    dir
}

#[test]
fn explain_ends_a_looping_template_at_the_timeout() {
    let dir = looping_project();
    let o = run_within(
        dir.path(),
        &["explain", "p", "1", "--timeout", "2"],
        &[],
        MINUTE,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("did not finish within 2 s"),
        "{}",
        stderr(&o)
    );
    let o = run_within(
        dir.path(),
        &["explain", "p", "1"],
        &[("BUDGETDOC_TIMEOUT", "2")],
        MINUTE,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn watch_ends_a_looping_template_at_the_timeout_and_builds_the_fix() {
    let dir = looping_project();
    let pdf = dir.path().join("out.pdf");
    let log = dir.path().join("watch.log");
    let mut child = bin()
        .current_dir(dir.path())
        .args(["watch", "p", "-o", "out.pdf", "--timeout", "2"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let wait_for = |what: &str, done: &dyn Fn() -> bool| {
        let start = Instant::now();
        while !done() {
            assert!(start.elapsed() < MINUTE, "waited for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for("the timeout", &|| {
        std::fs::read_to_string(&log).is_ok_and(|l| l.contains("did not finish within 2 s"))
    });
    assert!(!pdf.exists());
    std::fs::remove_file(dir.path().join("p/templates/main.typ")).unwrap();
    wait_for("the fixed build", &|| pdf.is_file());
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn the_preview_recovers_from_a_looping_template_once_it_is_fixed() {
    let p = crate::preview::start_with("examples/nx-employment-2024-targets", &["--timeout", "2"]);
    let main = p.file("templates/main.typ");
    std::fs::create_dir_all(main.parent().unwrap()).unwrap();
    std::fs::write(&main, LOOPING).unwrap();
    let failed = p.until(|s| s["status"] == "failed", "the timeout");
    assert!(
        failed["diagnostics"]
            .to_string()
            .contains("did not finish within 2 s"),
        "{failed}"
    );
    // The server answers while the loop runs on.
    assert!(p.request("GET", "/", "").0.contains("200"));
    // Saves that change nothing the templates read fail at once: no second loop starts
    // (the threads Typst's compile started, its own and its helpers', stay as many).
    let compiling = || {
        std::fs::read_dir(format!("/proc/{}/task", p.pid()))
            .map(|tasks| {
                tasks
                    .flatten()
                    .filter(|t| {
                        std::fs::read_to_string(t.path().join("comm"))
                            .is_ok_and(|c| c.trim() == "typst")
                    })
                    .count()
            })
            .unwrap_or(0)
    };
    let threads = compiling();
    let yaml = p.file("budgetdoc.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    for i in 0..3 {
        let version = p.state()["version"].as_u64().unwrap();
        std::fs::write(&yaml, format!("{text}\n# touched {i}\n")).unwrap();
        let again = p.until(
            |s| s["version"].as_u64().unwrap() > version && s["status"] == "failed",
            "the rebuild after a touch",
        );
        assert!(again["build_ms"].as_u64().unwrap() < 1000, "{again}");
    }
    assert_eq!(
        compiling(),
        threads,
        "one looping compile, not one per save"
    );
    std::fs::remove_file(&main).unwrap();
    p.until(|s| s["status"] == "ready", "the fixed build");
}

/// Opens a connection that sends its request head one byte every `pause`.
fn trickle(port: u16, pause: Duration) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
            return;
        };
        for b in b"GET /state HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" {
            if s.write_all(&[*b]).is_err() {
                return;
            }
            std::thread::sleep(pause);
        }
    })
}

#[test]
fn one_local_client_cannot_lock_new_tabs_out_of_the_preview() {
    let p = crate::preview::start("examples/nx-employment-2024-targets");
    // 70 connections that trickle a byte every 3 s, and 70 update streams held open.
    let slow: Vec<_> = (0..70)
        .map(|_| trickle(p.port, Duration::from_secs(3)))
        .collect();
    let streams: Vec<TcpStream> = (0..70)
        .filter_map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", p.port)).ok()?;
            write!(
                s,
                "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
                p.port
            )
            .ok()?;
            Some(s)
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    // A new tab: its page, its state and its own update stream.
    let start = Instant::now();
    let (status, _, body) = p.request("GET", "/", "");
    assert!(status.contains("200") && !body.is_empty(), "{status}");
    assert!(p.state()["status"] == "ready");
    let mut events = p.events(Duration::from_secs(10));
    let mut first = vec![0; 4096];
    let n = events.read(&mut first).unwrap();
    assert!(
        String::from_utf8_lossy(&first[..n]).contains("text/event-stream"),
        "{}",
        String::from_utf8_lossy(&first[..n])
    );
    assert!(start.elapsed() < Duration::from_secs(10));
    drop(streams);
    drop(slow);
}

/// The export of the 决算 example as a workbook, for the import cases.
fn workbook(dir: &Path) -> PathBuf {
    let book = dir.join("a.xlsx");
    crate::support::export_workbook("examples/nx-hrss-2024-final", &book);
    book
}

#[test]
fn a_line_break_in_a_sheet_or_file_name_adds_no_yaml_to_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let book = workbook(dir.path());
    let injected = "\naccept:\n  - rule: R02\n    reason: injected\n#";
    // The first sheet's name ends with the same lines, as XML writes a line break.
    rewrite_xml(&book, |name, mut xml| {
        if name == "xl/workbook.xml" {
            let start = xml.find("name=\"公开01表").unwrap() + "name=\"".len();
            let end = start + xml[start..].find('"').unwrap();
            xml.insert_str(end, &injected.replace('#', "").replace('\n', "&#10;"));
        }
        xml
    });
    let named = dir.path().join(format!("x{injected}.xlsx"));
    std::fs::rename(&book, &named).unwrap();
    let project = dir.path().join("p");
    let o = run(&[
        "import",
        named.to_str().unwrap(),
        "-o",
        project.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(project.join("budgetdoc.yaml")).unwrap();
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    assert!(yaml.get("accept").is_none(), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("accept:")), "{text}");
    assert!(
        text.contains("\\u{000A}accept:"),
        "the name is kept, escaped: {text}"
    );
}

/// A workbook of one sheet whose `sheetData` is `cells`.
fn sheet_workbook(path: &Path, cells: &str) {
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write(0, 0, "x").unwrap();
    book.save(path).unwrap();
    rewrite_xml(path, |name, xml| {
        if name.starts_with("xl/worksheets/") {
            let start = xml.find("<sheetData").unwrap();
            let end = xml.find("</sheetData>").unwrap() + "</sheetData>".len();
            format!(
                "{}<sheetData>{cells}</sheetData>{}",
                &xml[..start],
                &xml[end..]
            )
        } else {
            xml
        }
    });
}

#[test]
fn a_workbook_spanning_a1_to_xfd1048576_is_refused_before_it_is_laid_out() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("far.xlsx");
    sheet_workbook(
        &book,
        r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
    );
    assert!(std::fs::metadata(&book).unwrap().len() < 8 * 1024);
    for limit in ["4096", "0"] {
        let o = run_within(
            dir.path(),
            &["import", "far.xlsx", "-o", "p", "--max-memory", limit],
            &[],
            MINUTE,
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("spans 1048576 rows × 16384 columns") && !err.contains("template"),
            "{err}"
        );
        assert!(!dir.path().join("p").exists());
    }
    // The same file as a project's catalog.
    copy_dir(&example("zhongwei-hrss-2024-budget"), &dir.path().join("q"));
    std::fs::copy(&book, dir.path().join("q/far.xlsx")).unwrap();
    let main = dir.path().join("q/budgetdoc.yaml");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("{text}\ncatalog_file: far.xlsx\n")).unwrap();
    let o = run_within(
        dir.path(),
        &["check", "q", "--max-memory", "0"],
        &[],
        MINUTE,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("spans 1048576 rows"), "{}", stderr(&o));
}

/// `zip` with the uncompressed size of its sheet part set to `size` in both of its headers.
fn claim_size(zip: &[u8], size: u32) -> Vec<u8> {
    let mut b = zip.to_vec();
    let name = b"xl/worksheets/sheet1.xml";
    // (signature, offset of the name length, offset of the name, offset of the size)
    for (sig, len_at, name_at, size_at) in
        [(b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)]
    {
        let mut i = 0;
        while let Some(found) = b[i..].windows(4).position(|w| w == sig) {
            let at = i + found;
            let n = u16::from_le_bytes([b[at + len_at], b[at + len_at + 1]]) as usize;
            if b.get(at + name_at..at + name_at + n) == Some(&name[..]) {
                b[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
            }
            i = at + 4;
        }
    }
    b
}

#[test]
fn a_zip_bomb_of_cells_at_one_coordinate_is_refused_at_the_first_sign() {
    let dir = tempfile::tempdir().unwrap();
    // Past the expanded size of a part: 72 MB of XML zipped to well under 1 MB.
    let bomb = dir.path().join("bomb.xlsx");
    let cell = r#"<c r="A1"><v>1</v></c>"#;
    sheet_workbook(
        &bomb,
        &format!("<row r=\"1\">{}</row>", cell.repeat(3_300_000)),
    );
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1024 * 1024);
    let o = run_within(dir.path(), &["import", "bomb.xlsx", "-o", "p"], &[], MINUTE);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("expands to more than 64 MB"),
        "{}",
        stderr(&o)
    );
    // The same bomb claiming 1,000 bytes in its headers.
    let liar = dir.path().join("liar.xlsx");
    std::fs::write(&liar, claim_size(&std::fs::read(&bomb).unwrap(), 1000)).unwrap();
    let o = run_within(dir.path(), &["import", "liar.xlsx", "-o", "p"], &[], MINUTE);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("xl/worksheets/sheet1.xml"),
        "{}",
        stderr(&o)
    );
    // Under that size but past the number of cells read.
    let many = dir.path().join("many.xlsx");
    sheet_workbook(
        &many,
        &format!("<row r=\"1\">{}</row>", cell.repeat(1_200_000)),
    );
    let o = run_within(dir.path(), &["import", "many.xlsx", "-o", "p"], &[], MINUTE);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("holds more than 1000000 cells"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("p").exists());
}

#[test]
fn an_empty_entry_in_budgetdoc_font_paths_is_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &example("nx-employment-2024-targets"),
        &dir.path().join("p"),
    );
    std::fs::create_dir_all(dir.path().join("fonts")).unwrap();
    for args in [
        vec!["build", "p", "-o", "x.pdf"],
        vec!["build", "p", "--out-dir", "pdf"],
        vec!["watch", "p"],
        vec!["explain", "p", "1"],
    ] {
        let o = run_within(
            dir.path(),
            &args,
            &[("BUDGETDOC_FONT_PATHS", "fonts:")],
            MINUTE,
        );
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("BUDGETDOC_FONT_PATHS=`fonts:`") && err.contains("empty entry"),
            "{args:?}: {err}"
        );
    }
}
