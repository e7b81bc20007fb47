//! The live preview (`budgetdoc preview`) and the PDF watcher (`budgetdoc watch`): one
//! rebuild loop over a library [`Session`] — follow exactly what the build read or looked
//! for, rebuild on a change, keep the last good pages when a build fails — with two
//! outputs: the pages served to a browser ([`server`]), or a PDF written atomically.
//!
//! - [`pages`]: a laid-out document → one SVG per page, keyed by the page's hash, so only
//!   the pages whose content changed are rendered again and replaced in the browser.
//! - [`state`]: what the browser is shown (version, status, pages, outline, diagnostics),
//!   shared between the rebuild loop and the server's connections.
//! - [`watch`]: file events (native, or polled with `--poll`: [`poll`]) for the build's
//!   dependencies.
//! - [`server`]: loopback HTTP — the viewer page, its state, the page SVGs, and an SSE
//!   stream of updates — refusing foreign `Host` and cross-origin requests.

pub mod pages;
pub mod poll;
pub mod server;
pub mod state;
pub mod watch;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::diag::Diagnostics;
use crate::session::Session;
use crate::{BuildOptions, Compiled};

/// What one rebuild produced, for the verb's own output.
pub struct Rebuilt {
    /// The laid-out document, when the build succeeded.
    pub compiled: Option<Compiled>,
    /// Errors (when it failed) or warnings.
    pub diagnostics: Diagnostics,
    /// Every file and directory the build read or looked for.
    pub dependencies: Vec<PathBuf>,
    /// How long the build took, in milliseconds.
    pub millis: u128,
}

/// The rebuild loop's session on one project.
pub struct Rebuilder {
    project: PathBuf,
    session: Session,
}

impl Rebuilder {
    /// A session on `project` with the build's options (fonts are loaded once, here).
    pub fn new(project: &Path, options: &BuildOptions) -> Self {
        Self {
            project: project.to_path_buf(),
            session: Session::new(options),
        }
    }

    /// A session on `project` that lays out the marked document ([`Session::marked`]): the
    /// preview's, which writes no PDF and looks clicked figures up by their boxes.
    pub fn marked(project: &Path, options: &BuildOptions) -> Self {
        Self {
            project: project.to_path_buf(),
            session: Session::marked(options),
        }
    }

    /// Runs load → validate → derive → render once. Call [`Rebuilder::trim`] once its
    /// output is out.
    pub fn rebuild(&self) -> Rebuilt {
        let start = Instant::now();
        let done = self.session.compile(&self.project);
        let (compiled, diagnostics) = match done.result {
            Ok(c) => {
                let warnings = c.warnings.clone().sorted();
                (Some(c), warnings)
            }
            Err(d) => (None, d.sorted()),
        };
        Rebuilt {
            compiled,
            diagnostics,
            dependencies: done.dependencies,
            millis: start.elapsed().as_millis(),
        }
    }
}

impl Rebuilder {
    /// Evicts Typst's cache entries that the last builds did not use, so memory stays
    /// bounded in a long session: after the output is out, off the edit's critical path.
    pub fn trim(&self) {
        comemo::evict(5);
    }
}

/// The shared state of a preview and its page cache, updated by the rebuild loop.
pub struct Preview {
    pub rebuilder: Rebuilder,
    pub shared: Arc<state::Shared>,
    cache: pages::PageCache,
    /// Builds since Typst's caches were last trimmed.
    untrimmed: usize,
}

/// How long without an edit counts as a quiet moment to trim the caches in.
pub const TRIM_WHEN_IDLE: std::time::Duration = std::time::Duration::from_millis(150);

impl Preview {
    pub fn new(project: &Path, options: &BuildOptions) -> Self {
        Self::with_shared(project, options, Arc::new(state::Shared::default()))
    }

    /// A preview publishing into an existing state (the server keeps serving it): a new
    /// session, e.g. after the fonts changed.
    pub fn with_shared(project: &Path, options: &BuildOptions, shared: Arc<state::Shared>) -> Self {
        Self {
            rebuilder: Rebuilder::marked(project, options),
            shared,
            cache: pages::PageCache::default(),
            untrimmed: 0,
        }
    }

    /// Rebuilds and publishes the result: new pages on success, the last good pages with the
    /// errors on failure. Returns the build's dependencies.
    pub fn update(&mut self) -> Vec<PathBuf> {
        self.shared.set_building();
        let rebuilt = self.rebuilder.rebuild();
        let start = Instant::now();
        let rendered = rebuilt
            .compiled
            .as_ref()
            .map(|c| (self.cache.render(&c.document), pages::outline(&c.document)));
        let times = state::Times {
            build_ms: rebuilt.millis,
            pages_ms: start.elapsed().as_millis(),
        };
        self.shared.publish(rendered, &rebuilt.diagnostics, times);
        self.render_viewed_ahead();
        // Trimming takes CPU the browser's page images need right now: the loop trims in
        // the next quiet moment ([`TRIM_WHEN_IDLE`]), or before the next build.
        self.untrimmed += 1;
        rebuilt.dependencies
    }

    /// Evicts Typst's unused cache entries (see [`Rebuilder::trim`]).
    pub fn trim(&mut self) {
        self.rebuilder.trim();
        self.untrimmed = 0;
    }

    /// Whether builds happened since the last trim.
    pub fn needs_trim(&self) -> bool {
        self.untrimmed > 0
    }

    /// Renders, in the background, the new images of the pages in the browser's viewport (the
    /// first pages, before a browser has said), so that they are ready (or under way) when
    /// the browser asks for them after the update event; a page asked for meanwhile waits
    /// for this render rather than starting its own.
    fn render_viewed_ahead(&self) {
        let (mut viewed, scale) = self.shared.viewed();
        if viewed.is_empty() {
            viewed = vec![0, 1];
        }
        let pages: Vec<pages::RenderedPage> = {
            let state = self.shared.lock();
            viewed
                .into_iter()
                .filter_map(|n| state.pages.get(n))
                .filter(|p| !p.png_started(scale))
                .cloned()
                .collect()
        };
        for page in pages {
            std::thread::spawn(move || page.png(scale));
        }
    }
}
