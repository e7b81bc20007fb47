//! Following edits: file events for exactly what a build read or looked for. Directories
//! are watched rather than file handles — each dependency's own directory and every
//! dependency that is a directory (the attachments and template overrides) — so a file
//! saved by writing a temporary file and renaming it, deleted and re-created, or added to
//! `targets/` is seen. Events are debounced (notify-debouncer-full merges a rename's two
//! halves and repeated writes) and filtered to the dependencies, so the PDF that `watch`
//! writes into the project does not trigger a build. `--poll` polls instead, for network
//! drives and WSL mounts where native events are missed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};

/// Quiet time after the last event of a burst before a rebuild starts. A save's events (a
/// truncate and write, or a temporary file's write and rename) come within a millisecond.
pub const DEBOUNCE: Duration = Duration::from_millis(5);
/// How often the debouncer looks for a burst that has gone quiet: it wakes this often while
/// the watcher lives, so not more often than that.
const TICK: Duration = Duration::from_micros(2500);
/// How often `--poll` looks at the files.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

enum Inner {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Inner {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Inner::Native(d) => d.watch(path, mode),
            Inner::Poll(d) => d.watch(path, mode),
        }
    }
    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Inner::Native(d) => d.unwatch(path),
            Inner::Poll(d) => d.unwatch(path),
        }
    }
}

/// The watcher of one project's dependencies.
pub struct Watcher {
    inner: Inner,
    events: Receiver<DebounceEventResult>,
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
    /// A font directory changed: the session's fonts must be loaded again.
    pub fonts: bool,
}

impl Watcher {
    /// A native watcher, or a polling one.
    pub fn new(poll: bool, font_dirs: &[PathBuf]) -> Result<Self, String> {
        let (tx, events) = channel();
        let inner = if poll {
            let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
            new_debouncer_opt::<_, PollWatcher, NoCache>(DEBOUNCE, Some(TICK), tx, NoCache, config)
                .map(Inner::Poll)
        } else {
            new_debouncer(DEBOUNCE, Some(TICK), tx).map(Inner::Native)
        }
        .map_err(|e| format!("cannot watch files: {e}"))?;
        let mut w = Self {
            inner,
            events,
            watched: BTreeSet::new(),
            dependencies: BTreeSet::new(),
            font_dirs: font_dirs.iter().map(|d| absolute(d)).collect(),
        };
        for dir in w.font_dirs.clone() {
            if w.inner.watch(&dir, RecursiveMode::Recursive).is_ok() {
                w.watched.insert((dir, true));
            }
        }
        Ok(w)
    }

    /// Follows `dependencies` (the last build's): watches their directories, stops watching
    /// directories no longer needed.
    pub fn follow(&mut self, dependencies: &[PathBuf]) {
        self.dependencies = dependencies.iter().map(|p| absolute(p)).collect();
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
            let _ = self.inner.unwatch(&dir);
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
            if self.inner.watch(&dir, mode).is_ok() {
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

    /// Adds to `change` the paths of `events` that concern the build.
    fn add(&self, change: &mut Change, events: &[notify_debouncer_full::DebouncedEvent]) {
        for event in events.iter().filter(|e| alters(&e.kind)) {
            for path in &event.paths {
                let (concerns, font) = self.concerns(path);
                if concerns {
                    change.paths.push(path.clone());
                    change.fonts |= font;
                }
            }
        }
    }

    /// Waits for a change that concerns the build; `None` after `timeout` without one (or
    /// when the watcher stopped).
    pub fn wait(&self, timeout: Duration) -> Option<Change> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let batch = match self.events.recv_timeout(left) {
                Ok(Ok(events)) => events,
                Ok(Err(_)) => continue,
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    return None;
                }
            };
            let mut change = Change::default();
            self.add(&mut change, &batch);
            if !change.paths.is_empty() {
                // Take whatever else is already queued: one rebuild for the burst.
                while let Ok(Ok(more)) = self.events.try_recv() {
                    self.add(&mut change, &more);
                }
                change.paths.sort();
                change.paths.dedup();
                return Some(change);
            }
        }
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
