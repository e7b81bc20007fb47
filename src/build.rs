//! Build script: the commit budgetdoc is built from, for `--version` (`unknown` outside a
//! git checkout, e.g. a source tarball). Nothing else: the version shown never reaches a PDF.

use std::process::Command;

fn main() {
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=BUDGETDOC_COMMIT={commit}");
    // A new commit changes the version line; the rest of the crate is unaffected.
    for path in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        println!("cargo:rerun-if-changed={path}");
    }
}
