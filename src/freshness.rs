//! Rebuild only what changed: a key per project over everything that determines its PDF —
//! the contents of every file the last build read or looked for (directories by their
//! listing and files), the options that change the output, and budgetdoc's version with its
//! embedded templates and fonts — stored beside the PDF (`.<name>.pdf.budgetdoc`) with the
//! PDF's own hash. Never file times: a fresh clone resets them all. A project whose inputs
//! hash as recorded and whose PDF on disk is the recorded one is up to date; otherwise the
//! record says which input changed.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::BuildOptions;

/// What a build recorded beside its PDF.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Record {
    /// budgetdoc's version, templates, fonts and the output options.
    pub setup: String,
    /// The PDF's hash.
    pub pdf: String,
    /// Each input and its hash, sorted.
    pub inputs: Vec<(PathBuf, String)>,
}

/// Whether a project needs building, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    UpToDate,
    /// Why it is rebuilt: no record, a changed input, another setup, another PDF.
    Stale(String),
}

/// The record's path beside `pdf`.
pub fn record_path(pdf: &Path) -> PathBuf {
    let name = pdf
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    pdf.with_file_name(format!(".{name}.budgetdoc"))
}

fn hex(bytes: &[u8]) -> String {
    format!("{:032x}", typst::utils::hash128(bytes))
}

/// The hash of a path's content: a file's bytes; a directory's entries with the content of
/// its files (not recursive); `absent`.
pub fn hash_path(path: &Path) -> String {
    if path.is_file() {
        return match std::fs::read(path) {
            Ok(b) => hex(&b),
            Err(_) => "unreadable".into(),
        };
    }
    if path.is_dir() {
        let mut entries: Vec<(String, String)> = std::fs::read_dir(path)
            .map(|d| {
                d.flatten()
                    .map(|e| {
                        let p = e.path();
                        let name = e.file_name().to_string_lossy().into_owned();
                        let content = if p.is_file() {
                            hash_path(&p)
                        } else {
                            "dir".into()
                        };
                        (name, content)
                    })
                    .collect()
            })
            .unwrap_or_default();
        entries.sort();
        let listing: String = entries
            .iter()
            .map(|(n, h)| format!("{n}\u{0}{h}\n"))
            .collect();
        return hex(listing.as_bytes());
    }
    "absent".into()
}

/// The setup every project of a run shares: budgetdoc's version, every embedded template and
/// font, the options that change the PDF, and the content of font directories and catalog
/// files named on the command line.
pub fn setup(options: &BuildOptions) -> String {
    let mut s = String::new();
    s.push_str(env!("CARGO_PKG_VERSION"));
    for kind in crate::kinds::KINDS {
        for (name, text) in kind.templates() {
            s.push_str(&format!("\n{name} {}", hex(text.as_bytes())));
        }
    }
    for (name, bytes) in crate::render::world::EMBEDDED_FONT_FILES {
        s.push_str(&format!("\nfont {name} {}", hex(bytes)));
    }
    s.push_str(&format!(
        "\ntagged {} date {:?}",
        options.tagged, options.source_date_epoch
    ));
    for dir in &options.font_paths {
        s.push_str(&format!("\nfont dir {} {}", dir.display(), hash_tree(dir)));
    }
    for file in &options.catalogs {
        s.push_str(&format!("\ncatalog {} {}", file.display(), hash_path(file)));
    }
    hex(s.as_bytes())
}

/// A directory's files, recursively (font directories).
fn hash_tree(dir: &Path) -> String {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push((p.clone(), hash_path(&p)));
            }
        }
    }
    files.sort();
    hex(format!("{files:?}").as_bytes())
}

/// Whether the PDF at `pdf` is up to date for `setup`, by its record.
pub fn check(pdf: &Path, setup: &str) -> Freshness {
    let Some(record) = std::fs::read(record_path(pdf))
        .ok()
        .and_then(|b| serde_json::from_slice::<Record>(&b).ok())
    else {
        return Freshness::Stale("never built here (no record)".into());
    };
    if record.setup != setup {
        return Freshness::Stale(
            "budgetdoc, its templates or fonts, or the options changed".into(),
        );
    }
    for (path, hash) in &record.inputs {
        if hash_path(path) != *hash {
            return Freshness::Stale(format!("`{}` changed", path.display()));
        }
    }
    match std::fs::read(pdf) {
        Ok(bytes) if hex(&bytes) == record.pdf => Freshness::UpToDate,
        Ok(_) => Freshness::Stale(format!("`{}` is not the PDF last built", pdf.display())),
        Err(_) => Freshness::Stale(format!("`{}` is missing", pdf.display())),
    }
}

/// Records what the build of the PDF at `pdf` read (`inputs`), beside it.
pub fn record(pdf: &Path, setup: &str, inputs: &[PathBuf]) -> std::io::Result<()> {
    let pdf_bytes = std::fs::read(pdf)?;
    let mut inputs: Vec<(PathBuf, String)> =
        inputs.iter().map(|p| (p.clone(), hash_path(p))).collect();
    inputs.sort();
    inputs.dedup();
    let record = Record {
        setup: setup.to_string(),
        pdf: hex(&pdf_bytes),
        inputs,
    };
    let json = serde_json::to_vec_pretty(&record).map_err(std::io::Error::other)?;
    crate::export::write_atomic(&record_path(pdf), &json)
        .map_err(|d| std::io::Error::other(d.message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_follows_its_inputs_and_its_pdf() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("budgetdoc.yaml");
        let attachments = dir.path().join("targets");
        std::fs::create_dir_all(&attachments).unwrap();
        std::fs::write(&input, "a: 1").unwrap();
        let pdf = dir.path().join("out.pdf");
        std::fs::write(&pdf, "%PDF").unwrap();
        assert!(matches!(check(&pdf, "s"), Freshness::Stale(_)));
        record(&pdf, "s", &[input.clone(), attachments.clone()]).unwrap();
        assert_eq!(check(&pdf, "s"), Freshness::UpToDate);
        assert!(matches!(check(&pdf, "other"), Freshness::Stale(_)));
        std::fs::write(attachments.join("01.yaml"), "x").unwrap();
        assert!(matches!(check(&pdf, "s"), Freshness::Stale(why) if why.contains("targets")));
        std::fs::remove_file(attachments.join("01.yaml")).unwrap();
        assert_eq!(check(&pdf, "s"), Freshness::UpToDate);
        std::fs::write(&input, "a: 2").unwrap();
        assert!(
            matches!(check(&pdf, "s"), Freshness::Stale(why) if why.contains("budgetdoc.yaml"))
        );
        std::fs::write(&input, "a: 1").unwrap();
        std::fs::write(&pdf, "%PDF edited").unwrap();
        assert!(matches!(check(&pdf, "s"), Freshness::Stale(why) if why.contains("not the PDF")));
    }
}
