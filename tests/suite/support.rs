//! Helpers shared by the integration tests: running the binary, and building a broken copy
//! of a starter project to check that it fails where it should.

use std::fs;
use std::process::{Command, Output};

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_budgetdoc"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("SOURCE_DATE_EPOCH");
    c.env_remove("BUDGETDOC_FONT_PATHS");
    c
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run budgetdoc")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A copy of the starter project of `kind` (in `<tmp>/p`) with `budgetdoc.yaml` edited.
pub fn broken_project(kind: &str, edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    let o = run(&["init", project.to_str().unwrap(), "--kind", kind]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = project.join("budgetdoc.yaml");
    let text = fs::read_to_string(&file).unwrap();
    let edited = edit(text.clone());
    assert_ne!(text, edited, "the edit must change the file");
    fs::write(&file, edited).unwrap();
    dir
}

/// Builds the broken project over an existing PDF: exit 1, the PDF untouched, and stderr
/// holding `FILE:LINE:COL: error[RULE]:`, the key path, the message and a hint; `check` fails too.
pub fn assert_fails(
    dir: &tempfile::TempDir,
    file: &str,
    position: &str,
    path: &str,
    message: &str,
) -> String {
    let project = dir.path().join("p");
    let out = dir.path().join("existing.pdf");
    fs::write(&out, b"previous PDF").unwrap();
    let o = run(&[
        "build",
        project.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{file}:{position}: error[")),
        "position {file}:{position}: {err}"
    );
    assert!(err.contains(path), "key path {path}: {err}");
    assert!(err.contains(message), "message {message}: {err}");
    assert!(err.contains("hint:"), "hint: {err}");
    assert_eq!(
        fs::read(&out).unwrap(),
        b"previous PDF",
        "existing PDF overwritten"
    );
    let c = run(&["check", project.to_str().unwrap()]);
    assert_eq!(c.status.code(), Some(1));
    err
}

/// Copies the directory `from` (a project) to `to`, recursively.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Rewrites every XML part of the workbook at `path` with `edit(part name, text)`, as a
/// program other than budgetdoc might have written it.
pub fn rewrite_xml(path: &std::path::Path, edit: impl Fn(&str, String) -> String) {
    use std::io::{Read, Write};
    let bytes = fs::read(path).unwrap();
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..source.len() {
        let mut entry = source.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if name.ends_with(".xml") {
            data = edit(&name, String::from_utf8(data).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

/// Exports `project`'s tables as the workbook `out` (`build --xlsx OUT --no-pdf`).
pub fn export_workbook(project: &str, out: &std::path::Path) {
    let o = run(&[
        "build",
        project,
        "--xlsx",
        out.to_str().unwrap(),
        "--no-pdf",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// The examples: four seeds in full, and the 上海 region pack's example.
pub const EXAMPLES: [&str; 5] = [
    "examples/nx-hrss-2024-final",
    "examples/zhongwei-hrss-2024-budget",
    "examples/nx-employment-2024-targets",
    "examples/yongning-employment-2024-targets",
    "examples/shanghai-district-2026-budget",
];
