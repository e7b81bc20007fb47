//! `--poll`: following edits where file events are missed (network drives, WSL mounts) by
//! looking at every dependency at an interval. A file or directory is compared by its
//! content, as a batch's records compare it ([`crate::freshness::hash_path`]: the YAML is
//! small, and a save within the second of the last one keeps the mtime of filesystems that
//! count in seconds, so the content decides); a font directory, recursively, by its files'
//! names, sizes and times, never their contents. Only the build's own dependencies are
//! looked at, never their neighbours.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use notify::event::{Event, EventKind, ModifyKind};

/// The paths to look at: `(path, deep)`, deep for a font directory.
type Paths = Mutex<Vec<(PathBuf, bool)>>;

/// A polling thread; it ends with the poller.
pub struct Poller {
    paths: Arc<Paths>,
}

impl Poller {
    /// Starts looking every `interval`; changes are sent to `events` as notify events.
    pub fn start(
        events: Sender<notify::Result<Event>>,
        interval: Duration,
    ) -> Result<Self, String> {
        let paths: Arc<Paths> = Arc::default();
        let weak = Arc::downgrade(&paths);
        std::thread::Builder::new()
            .name("budgetdoc-poll".into())
            .spawn(move || run(&weak, &events, interval))
            .map_err(|e| format!("cannot start polling: {e}"))?;
        Ok(Self { paths })
    }

    /// Looks at these paths from now on (each with what it was seen as before, if it was).
    pub fn look_at(&self, paths: Vec<(PathBuf, bool)>) {
        *self.paths.lock().unwrap_or_else(|e| e.into_inner()) = paths;
    }
}

fn run(paths: &Weak<Paths>, events: &Sender<notify::Result<Event>>, interval: Duration) {
    let mut seen: HashMap<PathBuf, String> = HashMap::new();
    loop {
        std::thread::sleep(interval);
        let Some(paths) = paths.upgrade() else {
            return;
        };
        let list = paths.lock().unwrap_or_else(|e| e.into_inner()).clone();
        drop(paths);
        let mut now = HashMap::with_capacity(list.len());
        for (path, deep) in list {
            let look = look(&path, deep);
            if seen.get(&path).is_some_and(|before| *before != look) {
                let event = Event::new(EventKind::Modify(ModifyKind::Any)).add_path(path.clone());
                if events.send(Ok(event)).is_err() {
                    return;
                }
            }
            now.insert(path, look);
        }
        seen = now;
    }
}

/// What a path holds now, as a hash (see the module's documentation).
fn look(path: &Path, deep: bool) -> String {
    if !deep || !path.is_dir() {
        return crate::freshness::hash_path(path);
    }
    let mut hasher = DefaultHasher::new();
    for (file, meta) in crate::freshness::font_files(path) {
        file.hash(&mut hasher);
        meta.len().hash(&mut hasher);
        meta.modified().ok().hash(&mut hasher);
    }
    format!("tree {:016x}", hasher.finish())
}
