//! What the browser is shown, shared between the rebuild loop (which publishes) and the
//! server's connections (which read it, and wait on it for the next version): the status,
//! the last good pages and outline, and the diagnostics of the last build as `check` prints
//! them.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;

use super::pages::{OutlineEntry, RenderedPage};
use crate::diag::{Diagnostic, Diagnostics};
use crate::report::{Format, render};

/// Where the preview stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// No build has finished yet, or one is running.
    Building,
    /// The pages are the last build's.
    Ready,
    /// The last build failed: the pages are the last good build's.
    Failed,
}

/// One diagnostic as the page lists it: its parts, and its text as `check` prints it (the
/// source line with a marker under the value).
#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticView {
    pub severity: &'static str,
    pub rule: Option<&'static str>,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub path: Option<String>,
    pub message: String,
    pub hint: Option<String>,
    pub accepted: Option<String>,
    pub text: String,
}

impl DiagnosticView {
    fn of(d: &Diagnostic) -> Self {
        Self {
            severity: d.severity.word(),
            rule: d.rule.map(|r| r.id),
            file: d.location.as_ref().map(|l| l.file.display().to_string()),
            line: d.location.as_ref().map(|l| l.line),
            column: d.location.as_ref().map(|l| l.col),
            path: d.path.clone(),
            message: d.message.clone(),
            hint: d.hint.clone(),
            accepted: d.accepted.clone(),
            text: render(&Diagnostics(vec![d.clone()]), Format::Human, false),
        }
    }
}

/// How long the last update took: the build, then the pages (hashing, SVG for the pages
/// that changed, the outline).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Times {
    pub build_ms: u128,
    pub pages_ms: u128,
}

/// The preview's state.
#[derive(Debug)]
pub struct State {
    /// Increases with every change the browser should see.
    pub version: u64,
    pub status: Status,
    pub pages: Vec<RenderedPage>,
    pub outline: Vec<OutlineEntry>,
    pub diagnostics: Vec<DiagnosticView>,
    pub errors: usize,
    pub warnings: usize,
    /// How long the last build took.
    pub build_ms: u128,
    /// How long rendering its pages took.
    pub pages_ms: u128,
}

impl Default for State {
    fn default() -> Self {
        Self {
            version: 0,
            status: Status::Building,
            pages: Vec::new(),
            outline: Vec::new(),
            diagnostics: Vec::new(),
            errors: 0,
            warnings: 0,
            build_ms: 0,
            pages_ms: 0,
        }
    }
}

/// A page's entry in the state the browser reads.
#[derive(Serialize)]
struct PageEntry<'a> {
    hash: &'a str,
    width: f64,
    height: f64,
}

/// The state as `/state` serves it (no SVGs: the pages are fetched by hash).
#[derive(Serialize)]
struct StateView<'a> {
    version: u64,
    status: Status,
    build_ms: u128,
    pages_ms: u128,
    errors: usize,
    warnings: usize,
    pages: Vec<PageEntry<'a>>,
    outline: &'a [OutlineEntry],
    diagnostics: &'a [DiagnosticView],
}

impl State {
    /// `/state` as JSON.
    pub fn to_json(&self) -> String {
        let view = StateView {
            version: self.version,
            status: self.status,
            build_ms: self.build_ms,
            pages_ms: self.pages_ms,
            errors: self.errors,
            warnings: self.warnings,
            pages: self
                .pages
                .iter()
                .map(|p| PageEntry {
                    hash: &p.hash,
                    width: p.width,
                    height: p.height,
                })
                .collect(),
            outline: &self.outline,
            diagnostics: &self.diagnostics,
        };
        serde_json::to_string(&view).unwrap_or_else(|_| "{}".into())
    }
}

/// The state behind a lock, with a condition the server's update streams wait on.
#[derive(Debug, Default)]
pub struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    /// The pages in the browser's viewport (`/view`), which a build renders before the
    /// browser asks for them.
    viewed: Mutex<(Vec<usize>, crate::preview::pages::Scale)>,
    /// What explains a clicked figure.
    explainer: Mutex<Option<Explainer>>,
}

/// Explains the figures of the project on show: the derivations of the build at `version`,
/// recorded when first asked for after that build.
#[derive(Debug)]
pub struct Explainer {
    project: std::path::PathBuf,
    catalogs: Vec<std::path::PathBuf>,
    /// `--editor`: a command with `{file}`, `{line}` and `{col}` in its arguments.
    editor: Option<String>,
    recorded: Option<(u64, std::sync::Arc<crate::explain::Figures>)>,
}

impl Explainer {
    pub fn new(
        project: &std::path::Path,
        catalogs: &[std::path::PathBuf],
        editor: Option<String>,
    ) -> Self {
        Self {
            project: project.to_path_buf(),
            catalogs: catalogs.to_vec(),
            editor,
            recorded: None,
        }
    }
}

/// How many pages in view a build renders ahead of the browser's request.
const VIEWED: usize = 4;

impl Shared {
    /// The state, for reading (a poisoned lock still holds the last state).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn bump(&self, change: impl FnOnce(&mut State)) {
        let mut s = self.lock();
        change(&mut s);
        s.version += 1;
        drop(s);
        self.changed.notify_all();
    }

    /// A build started.
    pub fn set_building(&self) {
        self.bump(|s| s.status = Status::Building);
    }

    /// A build ended: its pages when it succeeded (the last good ones stay otherwise), its
    /// diagnostics either way.
    pub fn publish(
        &self,
        rendered: Option<(Vec<RenderedPage>, Vec<OutlineEntry>)>,
        diagnostics: &Diagnostics,
        times: Times,
    ) {
        self.bump(|s| {
            let ok = rendered.is_some();
            if let Some((pages, outline)) = rendered {
                s.pages = pages;
                s.outline = outline;
            }
            s.errors = diagnostics.errors();
            s.warnings = diagnostics.warnings();
            s.diagnostics = diagnostics.iter().map(DiagnosticView::of).collect();
            s.status = if ok { Status::Ready } else { Status::Failed };
            s.build_ms = times.build_ms;
            s.pages_ms = times.pages_ms;
        });
    }

    /// Sets what explains clicked figures.
    pub fn set_explainer(&self, explainer: Explainer) {
        *self.explainer.lock().unwrap_or_else(|e| e.into_inner()) = Some(explainer);
    }

    /// The figures of the build on show, recorded once per build.
    fn figures(&self) -> Option<std::sync::Arc<crate::explain::Figures>> {
        let version = self.lock().version;
        {
            let guard = self.explainer.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((v, figures)) = &guard.as_ref()?.recorded
                && *v == version
            {
                return Some(std::sync::Arc::clone(figures));
            }
        }
        let (version, pages) = {
            let s = self.lock();
            let pages = s.pages.iter().map(|p| p.page_text()).collect();
            (s.version, pages)
        };
        let mut guard = self.explainer.lock().unwrap_or_else(|e| e.into_inner());
        let explainer = guard.as_mut()?;
        let figures = crate::explain::record(&explainer.project, &explainer.catalogs)
            .ok()?
            .with_pages(pages);
        let figures = std::sync::Arc::new(figures);
        explainer.recorded = Some((version, std::sync::Arc::clone(&figures)));
        Some(figures)
    }

    /// Whether clicked facts can be opened in an editor (`--editor`).
    fn editor(&self) -> bool {
        self.explainer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .is_some_and(|e| e.editor.is_some())
    }

    /// The figure printed at `at` explained, as JSON: `answer` as `budgetdoc explain --at`
    /// gives it, or `miss` saying why nothing is explained there (no figure is printed at
    /// that point: a table's code, a year, a page footer).
    pub fn explain_at(&self, at: crate::explain::Point) -> String {
        let editor = self.editor();
        let (answer, miss) = match self.figures().map(|f| f.explain_at(at)) {
            Some(Ok(a)) => (Some(a), None),
            Some(Err(m)) => (None, Some(m)),
            None => (None, None),
        };
        serde_json::json!({ "answer": answer, "miss": miss, "editor": editor }).to_string()
    }

    /// `query` explained, as JSON (`budgetdoc explain --format json`), with whether facts
    /// can be opened in an editor; an empty answer when the project does not build.
    pub fn explain(&self, query: &str) -> String {
        let editor = self.editor();
        let answer = self.figures().map(|f| f.explain(query));
        serde_json::json!({ "answer": answer, "editor": editor }).to_string()
    }

    /// Opens `file` at `line`:`col` with the `--editor` command, if `file` is one the build
    /// read its facts from; whether it was started.
    pub fn open_in_editor(&self, file: &str, line: usize, col: usize) -> bool {
        let Some(figures) = self.figures() else {
            return false;
        };
        let path = std::path::Path::new(file);
        if !figures.read_file(path) {
            return false;
        }
        let guard = self.explainer.lock().unwrap_or_else(|e| e.into_inner());
        let Some(command) = guard.as_ref().and_then(|e| e.editor.clone()) else {
            return false;
        };
        drop(guard);
        let args: Vec<String> = command
            .split_whitespace()
            .map(|a| {
                a.replace("{file}", file)
                    .replace("{line}", &line.to_string())
                    .replace("{col}", &col.to_string())
            })
            .collect();
        let Some((program, rest)) = args.split_first() else {
            return false;
        };
        let child = std::process::Command::new(program)
            .args(rest)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        match child {
            Ok(mut child) => {
                // Reaped when the editor's launcher exits.
                std::thread::spawn(move || child.wait());
                true
            }
            Err(_) => false,
        }
    }

    /// The pages in the browser's viewport, as it reported them (at most a few).
    pub fn set_viewed(&self, mut pages: Vec<usize>, scale: crate::preview::pages::Scale) {
        pages.truncate(VIEWED);
        *self.viewed.lock().unwrap_or_else(|e| e.into_inner()) = (pages, scale);
    }

    /// The pages in the browser's viewport, and the scale it shows them at.
    pub fn viewed(&self) -> (Vec<usize>, crate::preview::pages::Scale) {
        self.viewed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Waits until the version is above `seen` or `timeout` passes; the current version.
    pub fn wait(&self, seen: u64, timeout: Duration) -> u64 {
        self.wait_unless(seen, timeout, &std::sync::atomic::AtomicBool::new(false))
    }

    /// [`Shared::wait`], also ending as soon as `stop` is set and [`Shared::wake`] is called
    /// (a stream the server closes to make room).
    pub fn wait_unless(
        &self,
        seen: u64,
        timeout: Duration,
        stop: &std::sync::atomic::AtomicBool,
    ) -> u64 {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| {
                s.version <= seen && !stop.load(std::sync::atomic::Ordering::Acquire)
            })
            .unwrap_or_else(|e| e.into_inner());
        guard.version
    }

    /// Wakes every waiting stream (see [`Shared::wait_unless`]).
    pub fn wake(&self) {
        let _guard = self.lock();
        self.changed.notify_all();
    }
}
