//! load: what a long-running session (watch, preview) remembers of the files it parsed, so
//! that a rebuild after an edit parses only the files that changed. A 部门决算 is its main
//! file and one file per 自评表; parsing them all took ≈ 11 ms of each preview rebuild, when
//! an edit changes one.
//!
//! A file is reused only when its text is the same, byte for byte, as the text it was parsed
//! from (the file is still read and compared on every build; no mtimes), with the same type
//! and the same limit on decimals; a file that did not parse is never remembered, so its
//! errors are reported again. While derivations are recorded (`explain`) nothing is reused
//! or remembered: a recorded amount carries its node in the recording, which a copy from an
//! earlier build would lack. Each build forgets the files it did not read, so the memory is
//! bounded by the project.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use super::positions::Positions;
use crate::figures::provenance;

/// The files a session parsed, by path. Shared by the session's builds.
#[derive(Default)]
pub struct LoadCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    files: HashMap<PathBuf, Entry>,
    /// The current build's number; an entry remembers the last build that read it.
    build: u64,
}

struct Entry {
    text: Arc<str>,
    positions: Arc<Positions>,
    /// Parsed values of this text, by their type and decimals limit.
    typed: HashMap<(TypeId, u32), Arc<dyn Any + Send + Sync>>,
    build: u64,
}

impl std::fmt::Debug for LoadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files = self.lock().files.len();
        f.debug_struct("LoadCache").field("files", &files).finish()
    }
}

impl LoadCache {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a build: files read from here on are this build's.
    pub fn begin(&self) {
        self.lock().build += 1;
    }

    /// Forgets the files the current build did not read (deleted, renamed, or of another
    /// project).
    pub fn forget_unread(&self) {
        let mut inner = self.lock();
        let build = inner.build;
        inner.files.retain(|_, e| e.build == build);
    }

    /// The position index of `path` if its text is `text`; marks the file read.
    pub fn positions(&self, path: &Path, text: &str) -> Option<Arc<Positions>> {
        let mut inner = self.lock();
        let build = inner.build;
        let entry = inner.files.get_mut(path).filter(|e| *e.text == *text)?;
        entry.build = build;
        Some(Arc::clone(&entry.positions))
    }

    /// Remembers the position index of `path` at `text`, forgetting what was parsed from an
    /// earlier text.
    pub fn keep_positions(&self, path: &Path, text: &str, positions: &Arc<Positions>) {
        let mut inner = self.lock();
        let build = inner.build;
        inner.files.insert(
            path.to_path_buf(),
            Entry {
                text: Arc::from(text),
                positions: Arc::clone(positions),
                typed: HashMap::new(),
                build,
            },
        );
    }

    /// The value of type `T` parsed from `path` at `text` with `decimals`, if remembered
    /// (never while derivations are recorded).
    pub fn typed<T: Clone + Send + Sync + 'static>(
        &self,
        path: &Path,
        text: &str,
        decimals: u32,
    ) -> Option<T> {
        if provenance::recording() {
            return None;
        }
        let inner = self.lock();
        let entry = inner.files.get(path).filter(|e| *e.text == *text)?;
        let value = entry.typed.get(&(TypeId::of::<T>(), decimals))?;
        value.downcast_ref::<T>().cloned()
    }

    /// Remembers `value`, parsed from `path` at `text` with `decimals` (not while
    /// derivations are recorded, nor when the file's text is not the remembered one).
    pub fn keep_typed<T: Clone + Send + Sync + 'static>(
        &self,
        path: &Path,
        text: &str,
        decimals: u32,
        value: &T,
    ) {
        if provenance::recording() {
            return;
        }
        let mut inner = self.lock();
        if let Some(entry) = inner.files.get_mut(path).filter(|e| *e.text == *text) {
            entry
                .typed
                .insert((TypeId::of::<T>(), decimals), Arc::new(value.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indexed(text: &str) -> Arc<Positions> {
        Arc::new(super::super::positions::Positions::index(text).positions)
    }

    #[test]
    fn a_file_is_reused_only_at_the_same_text_type_and_decimals() {
        let cache = LoadCache::default();
        let path = Path::new("/p/a.yaml");
        cache.begin();
        assert!(cache.positions(path, "a: 1\n").is_none());
        cache.keep_positions(path, "a: 1\n", &indexed("a: 1\n"));
        cache.keep_typed(path, "a: 1\n", 2, &String::from("one"));
        assert!(cache.positions(path, "a: 1\n").is_some());
        assert_eq!(
            cache.typed::<String>(path, "a: 1\n", 2).as_deref(),
            Some("one")
        );
        assert_eq!(cache.typed::<String>(path, "a: 1\n", 6), None);
        assert_eq!(cache.typed::<u32>(path, "a: 1\n", 2), None);
        assert_eq!(cache.typed::<String>(path, "a: 2\n", 2), None);
        assert!(cache.positions(path, "a: 2\n").is_none());
        // A new text replaces the entry and what was parsed from the old one.
        cache.keep_positions(path, "a: 2\n", &indexed("a: 2\n"));
        assert_eq!(cache.typed::<String>(path, "a: 2\n", 2), None);
        assert_eq!(cache.typed::<String>(path, "a: 1\n", 2), None);
    }

    #[test]
    fn a_build_forgets_the_files_it_did_not_read() {
        let cache = LoadCache::default();
        let (a, b) = (Path::new("/p/a.yaml"), Path::new("/p/b.yaml"));
        cache.begin();
        cache.keep_positions(a, "x", &indexed("x"));
        cache.keep_positions(b, "y", &indexed("y"));
        cache.begin();
        assert!(cache.positions(a, "x").is_some());
        cache.forget_unread();
        assert!(cache.positions(a, "x").is_some());
        assert!(cache.positions(b, "y").is_none());
    }
}
