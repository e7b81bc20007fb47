//! Following edits: file events for exactly what a build read or looked for. Directories
//! are watched rather than file handles — each dependency's own directory and every
//! dependency that is a directory (the attachments and template overrides) — so a file
//! saved by writing a temporary file and renaming it, deleted and re-created, or added to
//! `targets/` is seen. Events are filtered to the dependencies, so the PDF that `watch`
//! writes into the project does not trigger a build, and debounced here: a burst ends when
//! no event that concerns the build has come for [`DEBOUNCE`], or [`CAP`] after its first.
//! The wait is a channel's timeout, so an idle watcher never wakes (a debouncer crate's
//! tick woke hundreds of times a second for as long as it lived). `--poll` looks at the
//! dependencies instead ([`super::poll`]), for network drives and WSL mounts where native
//! events are missed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};

use super::poll::Poller;

/// Quiet time after the last event of a burst before a rebuild starts. A save's events (a
/// truncate and write, or a temporary file's write and rename) come within a millisecond; a
/// slower writer costs one more rebuild, never a lost edit.
pub const DEBOUNCE: Duration = Duration::from_millis(2);
/// The longest a burst is waited out: a file written without pause is built at this pace.
pub const CAP: Duration = Duration::from_millis(100);
/// How often `--poll` looks at the files.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

enum Inner {
    Native(RecommendedWatcher),
    Poll(Poller),
}

/// The watcher of one project's dependencies.
pub struct Watcher {
    inner: Inner,
    events: Receiver<notify::Result<notify::Event>>,
    /// Directories watched, and how.
    watched: BTreeSet<(PathBuf, bool)>,
    /// The files and directories a change of which means a rebuild.
    dependencies: BTreeSet<PathBuf>,
    /// Font directories: a change there means the fonts are loaded again.
    font_dirs: Vec<PathBuf>,
}

/// What changed, as the rebuild loop needs to know it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Change {
    pub paths: Vec<PathBuf>,
    /// Events were lost: anything may have changed.
    pub everything: bool,
    /// A font directory changed: the session's fonts must be loaded again.
    pub fonts: bool,
}

impl Watcher {
    /// A native watcher, or a polling one.
    pub fn new(poll: bool, font_dirs: &[PathBuf]) -> Result<Self, String> {
        let (tx, events) = channel();
        let inner = if poll {
            Inner::Poll(Poller::start(tx, POLL_INTERVAL)?)
        } else {
            Inner::Native(
                notify::recommended_watcher(tx).map_err(|e| format!("cannot watch files: {e}"))?,
            )
        };
        let mut w = Self {
            inner,
            events,
            watched: BTreeSet::new(),
            dependencies: BTreeSet::new(),
            font_dirs: font_dirs.iter().map(|d| absolute(d)).collect(),
        };
        w.follow(&[]);
        Ok(w)
    }

    /// Follows `dependencies` (the last build's): watches their directories, stops watching
    /// directories no longer needed (or, polling, looks at them and the font directories).
    pub fn follow(&mut self, dependencies: &[PathBuf]) {
        self.dependencies = dependencies.iter().map(|p| absolute(p)).collect();
        let native = match &mut self.inner {
            Inner::Native(native) => native,
            Inner::Poll(poller) => {
                let deps = self.dependencies.iter().map(|d| (d.clone(), false));
                let fonts = self.font_dirs.iter().map(|d| (d.clone(), true));
                poller.look_at(deps.chain(fonts).collect());
                return;
            }
        };
        let mut wanted: BTreeSet<(PathBuf, bool)> =
            self.font_dirs.iter().map(|d| (d.clone(), true)).collect();
        for dep in &self.dependencies {
            if dep.is_dir() {
                wanted.insert((dep.clone(), false));
            }
            // The nearest existing ancestor: a dependency that does not exist yet (a
            // template overrides directory) is seen when it is created.
            let mut dir = dep.parent();
            while let Some(d) = dir {
                if d.is_dir() {
                    wanted.insert((d.to_path_buf(), false));
                    break;
                }
                dir = d.parent();
            }
        }
        for (dir, recursive) in self
            .watched
            .difference(&wanted)
            .cloned()
            .collect::<Vec<_>>()
        {
            let _ = native.unwatch(&dir);
            self.watched.remove(&(dir, recursive));
        }
        for (dir, recursive) in wanted
            .difference(&self.watched.clone())
            .cloned()
            .collect::<Vec<_>>()
        {
            let mode = if recursive {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            if native.watch(&dir, mode).is_ok() {
                self.watched.insert((dir, recursive));
            }
        }
    }

    /// Whether a change of `path` concerns the build.
    fn concerns(&self, path: &Path) -> (bool, bool) {
        let font = self.font_dirs.iter().any(|d| path.starts_with(d));
        let dep = self.dependencies.contains(path)
            || path.parent().is_some_and(|p| self.dependencies.contains(p));
        (dep || font, font)
    }

    /// Adds to `change` what of `event` concerns the build; whether anything did. Lost
    /// events (the kernel's queue overflowed, the watcher failed) may hide any change: they
    /// count as a change of everything, fonts included.
    fn add(&self, change: &mut Change, event: notify::Result<notify::Event>) -> bool {
        let event = match event {
            Ok(e) if !e.need_rescan() => e,
            _ => {
                change.everything = true;
                change.fonts |= !self.font_dirs.is_empty();
                return true;
            }
        };
        if !alters(&event.kind) {
            return false;
        }
        let mut any = false;
        for path in event.paths {
            let (concerns, font) = self.concerns(&path);
            if concerns {
                change.paths.push(path);
                change.fonts |= font;
                any = true;
            }
        }
        any
    }

    /// Waits for a change that concerns the build, then for the end of its burst; `None`
    /// after `timeout` without one (or when the watcher stopped).
    pub fn wait(&self, timeout: Duration) -> Option<Change> {
        let deadline = Instant::now() + timeout;
        let mut change = Change::default();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let event = self.events.recv_timeout(left).ok()?;
            if self.add(&mut change, event) {
                break;
            }
        }
        let cap = Instant::now() + CAP;
        let mut quiet_from = Instant::now() + DEBOUNCE;
        loop {
            let until = quiet_from.min(cap);
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match self.events.recv_timeout(left) {
                Ok(event) => {
                    if self.add(&mut change, event) {
                        quiet_from = Instant::now() + DEBOUNCE;
                    }
                }
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        change.paths.sort();
        change.paths.dedup();
        Some(change)
    }
}

/// Whether an event can change what a build reads: not a read (opening or closing a file
/// without writing it, which every build does to its own inputs).
fn alters(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, EventKind};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// `path` made absolute against the working directory (events carry absolute paths).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watched(poll: bool) -> (tempfile::TempDir, PathBuf, Watcher) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("budgetdoc.yaml");
        std::fs::write(&file, "kind: final-accounts\n").unwrap();
        let mut watcher = Watcher::new(poll, &[]).unwrap();
        watcher.follow(std::slice::from_ref(&file));
        (dir, file, watcher)
    }

    #[test]
    fn an_edit_is_one_change_and_another_file_none() {
        let (dir, file, watcher) = watched(false);
        std::fs::write(dir.path().join("notes.txt"), "not read by the build").unwrap();
        assert_eq!(watcher.wait(Duration::from_millis(300)), None);
        std::fs::write(&file, "kind: budget\n").unwrap();
        let change = watcher
            .wait(Duration::from_secs(5))
            .expect("the edit is seen");
        assert_eq!(change.paths, vec![absolute(&file)]);
        assert!(!change.fonts && !change.everything);
        assert_eq!(
            watcher.wait(Duration::from_millis(300)),
            None,
            "one change per save"
        );
    }

    /// A file written without a pause is built at the cap's pace, not never.
    #[test]
    fn a_burst_that_never_ends_is_cut_at_the_cap() {
        let (_dir, file, watcher) = watched(false);
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer = {
            let (file, stop) = (file.clone(), std::sync::Arc::clone(&stop));
            std::thread::spawn(move || {
                let mut n = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    n += 1;
                    std::fs::write(&file, format!("# {n}\nkind: budget\n")).unwrap();
                    std::thread::sleep(Duration::from_micros(500));
                }
            })
        };
        let change = watcher.wait(Duration::from_secs(10));
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        writer.join().unwrap();
        assert!(change.is_some_and(|c| c.paths == vec![absolute(&file)]));
    }

    /// Two saves of the same size within one second (a filesystem that keeps mtimes in
    /// seconds sees no change of time), and a file added to an attachments directory.
    #[test]
    fn polling_sees_every_edit_and_an_added_file() {
        let (dir, file, mut watcher) = watched(true);
        let forms = dir.path().join("evaluations");
        std::fs::create_dir(&forms).unwrap();
        watcher.follow(&[file.clone(), forms.clone()]);
        std::thread::sleep(POLL_INTERVAL * 2);
        for text in ["kind: budget-1\n", "kind: budget-2\n"] {
            std::fs::write(&file, text).unwrap();
            let change = watcher
                .wait(Duration::from_secs(5))
                .expect("the edit is seen");
            assert_eq!(change.paths, vec![absolute(&file)]);
        }
        std::fs::write(forms.join("01.yaml"), "name: x\n").unwrap();
        let change = watcher
            .wait(Duration::from_secs(5))
            .expect("the new file is seen");
        assert_eq!(change.paths, vec![absolute(&forms)]);
    }
}
