//! load: what a build read, as it read it. While [`record`] runs a build on this thread,
//! every project file read through [`super::read_bytes`] is noted with the hash of the very
//! bytes read, and every directory listed through [`list`] with the hash of the listing the
//! build saw. A run of several projects stores these beside the PDF (`crate::freshness`), so
//! a file saved while its project was building is never recorded as built: its hash on
//! disk then differs from the hash of what the build read.
//!
//! Thread-local, because a build reads its project on the thread that builds it (Typst
//! reads nothing from disk: the templates and data are served from memory), while other
//! projects of the same run build on other threads.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// What a build saw at a path, as stored in a freshness record: `file:<hash of the bytes>`,
/// `dir:<hash of the entry names>`, or `nodir` (a directory looked for and not there).
pub type Seen = String;

/// The value of a path that was looked for as a directory and is not one.
pub const NO_DIR: &str = "nodir";

thread_local! {
    static LOG: RefCell<Option<Vec<(PathBuf, Seen)>>> = const { RefCell::new(None) };
}

/// Runs `build` and returns what it read on this thread, sorted by path. The first sight of
/// a path wins: a later read of the same path in the same build is the same bytes or the
/// build would already have seen a different one.
pub fn record<T>(build: impl FnOnce() -> T) -> (T, Vec<(PathBuf, Seen)>) {
    let outer = LOG.with(|log| log.borrow_mut().replace(Vec::new()));
    let result = build();
    let mut seen = LOG
        .with(|log| std::mem::replace(&mut *log.borrow_mut(), outer))
        .unwrap_or_default();
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    seen.dedup_by(|later, first| later.0 == first.0);
    (result, seen)
}

fn note(path: &Path, seen: impl FnOnce() -> Seen) {
    LOG.with(|log| {
        if let Some(log) = log.borrow_mut().as_mut() {
            log.push((path.to_path_buf(), seen()));
        }
    });
}

/// Notes the bytes of a file as a build read them.
pub(super) fn note_file(path: &Path, bytes: &[u8]) {
    note(path, || file_seen(bytes));
}

/// The record of a file's bytes.
pub fn file_seen(bytes: &[u8]) -> Seen {
    format!("file:{}", digest(bytes))
}

/// The stable hash of bytes, in hex (also the PDF's hash in a freshness record).
pub fn digest(bytes: &[u8]) -> String {
    format!("{:032x}", typst::utils::hash128(bytes))
}

/// The entries of directory `dir`, sorted, as a build sees them (and notes them); `None`
/// when it is not a directory, an error when it is one that cannot be listed. Only names:
/// a file the build then reads is noted by its own bytes.
pub fn list(dir: &Path) -> std::io::Result<Option<Vec<PathBuf>>> {
    let names = names(dir)?;
    note(dir, || listing_seen(names.as_deref()));
    Ok(names.map(|n| n.iter().map(|name| dir.join(name)).collect()))
}

/// The sorted entry names of `dir`, `None` when it is not a directory.
fn names(dir: &Path) -> std::io::Result<Option<Vec<std::ffi::OsString>>> {
    if !dir.is_dir() {
        return Ok(None);
    }
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        names.push(entry?.file_name());
    }
    names.sort();
    Ok(Some(names))
}

fn listing_seen(names: Option<&[std::ffi::OsString]>) -> Seen {
    match names {
        None => NO_DIR.to_string(),
        Some(names) => {
            let mut joined = Vec::new();
            for n in names {
                joined.extend_from_slice(n.as_encoded_bytes());
                joined.push(0);
            }
            format!("dir:{}", digest(&joined))
        }
    }
}

/// What a path holds now, seen the way a build saw it when it recorded `recorded`: the
/// bytes of a file, or the listing of a directory. Equal to `recorded` exactly when the
/// build would read the same thing again.
pub fn now(path: &Path, recorded: &str) -> Seen {
    if recorded.starts_with("dir:") || recorded == NO_DIR {
        return match names(path) {
            Ok(names) => listing_seen(names.as_deref()),
            Err(_) => "unreadable".into(),
        };
    }
    match super::read_bytes(path, None) {
        Ok(bytes) => file_seen(&bytes),
        Err(_) => "unreadable".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_records_the_bytes_it_read_not_the_bytes_on_disk_later() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.yaml");
        std::fs::write(&file, "a: 1").unwrap();
        let ((), seen) = record(|| {
            super::super::read_bytes(&file, None).unwrap();
            // Saved while the build goes on: the record keeps what was read.
            std::fs::write(&file, "a: 2").unwrap();
            assert_eq!(list(dir.path()).unwrap(), Some(vec![file.clone()]));
            assert_eq!(list(&dir.path().join("absent")).unwrap(), None);
        });
        let recorded: Vec<&str> = seen.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(seen.len(), 3);
        let file_seen = &seen.iter().find(|(p, _)| *p == file).unwrap().1;
        assert_eq!(*file_seen, super::file_seen(b"a: 1"));
        assert_ne!(now(&file, file_seen), *file_seen, "the saved file differs");
        assert!(recorded.contains(&NO_DIR));
        let listing = &seen.iter().find(|(p, _)| p == dir.path()).unwrap().1;
        assert_eq!(now(dir.path(), listing), *listing);
        std::fs::write(dir.path().join("b.yaml"), "").unwrap();
        assert_ne!(now(dir.path(), listing), *listing, "a new entry");
        // Outside `record`, nothing is noted and nothing fails.
        assert!(list(dir.path()).unwrap().is_some());
    }
}
