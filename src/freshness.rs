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
use crate::load::reads::{self, Seen};

/// What a build recorded beside its PDF.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Record {
    /// budgetdoc's version, templates, fonts and the output options.
    pub setup: String,
    /// The project the PDF was built from: its main file's path, as given.
    pub project: PathBuf,
    /// The PDF's hash.
    pub pdf: String,
    /// Each input and what the build saw there ([`reads::Seen`]), sorted.
    pub inputs: Vec<(PathBuf, Seen)>,
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
    reads::digest(bytes)
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
/// files named on the command line. Taken before the fonts are loaded, so that a font that
/// changes meanwhile makes the next run rebuild.
pub fn setup(options: &BuildOptions) -> String {
    let mut s = String::new();
    s.push_str(env!("CARGO_PKG_VERSION"));
    for kind in crate::kinds::KINDS {
        for (name, text) in kind.templates() {
            s.push_str(&format!("\n{name} {}", hex(text.as_bytes())));
        }
    }
    for (name, text) in crate::pack::TEMPLATES {
        s.push_str(&format!("\npack {name} {}", hex(text.as_bytes())));
    }
    for p in crate::pack::SHIPPED {
        s.push_str(&format!("\nregion {} {}", p.name, hex(p.yaml.as_bytes())));
    }
    for (name, bytes) in crate::render::world::EMBEDDED_FONT_FILES {
        s.push_str(&format!("\nfont {name} {}", hex(bytes)));
    }
    s.push_str(&format!(
        "\ntagged {} date {:?}",
        options.tagged, options.source_date_epoch
    ));
    for dir in &options.font_paths {
        let files: Vec<(PathBuf, String)> = font_files(dir)
            .into_iter()
            .map(|(p, _)| {
                let h = hash_path(&p);
                (p, h)
            })
            .collect();
        s.push_str(&format!(
            "\nfont dir {} {}",
            dir.display(),
            hex(format!("{files:?}").as_bytes())
        ));
    }
    for file in &options.catalogs {
        s.push_str(&format!("\ncatalog {} {}", file.display(), hash_path(file)));
    }
    hex(s.as_bytes())
}

/// The deepest a font directory is walked.
const MAX_FONT_DEPTH: usize = 32;
/// The most entries a font directory's walk looks at (a system's font tree has a few
/// thousand).
const MAX_FONT_ENTRIES: usize = 100_000;

/// The font files below `dir` (by the extensions the font loader reads), sorted, with their
/// metadata: links followed as the font loader follows them, each directory walked once
/// (two links to `.` are no loop), at most [`MAX_FONT_DEPTH`] levels and
/// [`MAX_FONT_ENTRIES`] entries.
pub fn font_files(dir: &Path) -> Vec<(PathBuf, std::fs::Metadata)> {
    let mut files = Vec::new();
    let mut visited = std::collections::HashSet::new();
    let mut stack = vec![(dir.to_path_buf(), 0)];
    let mut entries = 0;
    while let Some((d, depth)) = stack.pop() {
        if depth > MAX_FONT_DEPTH || !d.canonicalize().is_ok_and(|c| visited.insert(c)) {
            continue;
        }
        let mut listed: Vec<PathBuf> = std::fs::read_dir(&d)
            .into_iter()
            .flatten()
            .flatten()
            .take(MAX_FONT_ENTRIES.saturating_sub(entries))
            .map(|e| e.path())
            .collect();
        entries += listed.len();
        // Sorted, and popped in that order: the same tree gives the same paths every time.
        listed.sort();
        for p in listed.into_iter().rev() {
            match std::fs::metadata(&p) {
                Ok(meta) if meta.is_dir() => stack.push((p, depth + 1)),
                Ok(meta) if meta.is_file() && is_font(&p) => files.push((p, meta)),
                _ => {}
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn is_font(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "ttf" | "ttc" | "otf" | "otc"
        )
    })
}

/// Whether the PDF at `pdf` is up to date for `setup` and the project whose main file is
/// `project`, by its record.
pub fn check(pdf: &Path, setup: &str, project: &Path) -> Freshness {
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
    if record.project != project {
        return Freshness::Stale(format!(
            "`{}` was built from another project, `{}`",
            pdf.display(),
            record.project.display()
        ));
    }
    for (path, seen) in &record.inputs {
        if reads::now(path, seen) != *seen {
            return Freshness::Stale(format!("`{}` changed", path.display()));
        }
    }
    match std::fs::read(pdf) {
        Ok(bytes) if hex(&bytes) == record.pdf => Freshness::UpToDate,
        Ok(_) => Freshness::Stale(format!("`{}` is not the PDF last built", pdf.display())),
        Err(_) => Freshness::Stale(format!("`{}` is missing", pdf.display())),
    }
}

/// Records, beside the PDF at `pdf` whose bytes hash to `digest`, that the project whose
/// main file is `project` built it from `inputs` as the build read them.
pub fn record(
    pdf: &Path,
    setup: &str,
    project: &Path,
    digest: &str,
    inputs: &[(PathBuf, Seen)],
) -> std::io::Result<()> {
    let mut inputs = inputs.to_vec();
    inputs.sort();
    inputs.dedup();
    let record = Record {
        setup: setup.to_string(),
        project: project.to_path_buf(),
        pdf: digest.to_string(),
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
    fn a_record_follows_its_inputs_its_project_and_its_pdf() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("budgetdoc.yaml");
        let attachments = dir.path().join("targets");
        std::fs::create_dir_all(&attachments).unwrap();
        std::fs::write(&input, "a: 1").unwrap();
        let pdf = dir.path().join("out.pdf");
        std::fs::write(&pdf, "%PDF").unwrap();
        assert!(matches!(check(&pdf, "s", &input), Freshness::Stale(_)));
        let ((), read) = reads::record(|| {
            crate::load::read_bytes(&input, None).unwrap();
            reads::list(&attachments).unwrap();
        });
        record(&pdf, "s", &input, &hex(b"%PDF"), &read).unwrap();
        assert_eq!(check(&pdf, "s", &input), Freshness::UpToDate);
        assert!(matches!(check(&pdf, "other", &input), Freshness::Stale(_)));
        assert!(matches!(
            check(&pdf, "s", Path::new("other/budgetdoc.yaml")),
            Freshness::Stale(why) if why.contains("another project")
        ));
        std::fs::write(attachments.join("01.yaml"), "x").unwrap();
        assert!(
            matches!(check(&pdf, "s", &input), Freshness::Stale(why) if why.contains("targets"))
        );
        std::fs::remove_file(attachments.join("01.yaml")).unwrap();
        assert_eq!(check(&pdf, "s", &input), Freshness::UpToDate);
        std::fs::write(&input, "a: 2").unwrap();
        assert!(
            matches!(check(&pdf, "s", &input), Freshness::Stale(why) if why.contains("budgetdoc.yaml"))
        );
        std::fs::write(&input, "a: 1").unwrap();
        std::fs::write(&pdf, "%PDF edited").unwrap();
        assert!(
            matches!(check(&pdf, "s", &input), Freshness::Stale(why) if why.contains("not the PDF"))
        );
    }

    /// A font directory holding two links to itself is walked once: the walk ends at once,
    /// and finds each font file once.
    #[cfg(unix)]
    #[test]
    fn a_font_directory_with_links_to_itself_is_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        let fonts = dir.path().join("fonts");
        std::fs::create_dir_all(fonts.join("sub")).unwrap();
        std::fs::write(fonts.join("a.ttf"), "x").unwrap();
        std::fs::write(fonts.join("sub/b.otf"), "y").unwrap();
        std::fs::write(fonts.join("notes.txt"), "z").unwrap();
        std::os::unix::fs::symlink(".", fonts.join("self1")).unwrap();
        std::os::unix::fs::symlink(".", fonts.join("self2")).unwrap();
        std::os::unix::fs::symlink("..", fonts.join("sub/up")).unwrap();
        let found: Vec<PathBuf> = font_files(&fonts).into_iter().map(|(p, _)| p).collect();
        assert_eq!(found, [fonts.join("a.ttf"), fonts.join("sub/b.otf")]);
        let options = BuildOptions {
            font_paths: vec![fonts.clone()],
            ..BuildOptions::default()
        };
        assert_eq!(setup(&options), setup(&options));
    }
}
