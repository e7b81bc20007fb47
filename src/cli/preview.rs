//! `budgetdoc preview`: builds once, serves the pages on loopback, opens the browser, and
//! rebuilds on every change of what the build read, until Ctrl-C (`budgetdoc::preview`).

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use budgetdoc::preview::{Preview, server};

use super::{FontArgs, ProjectArgs, TimeoutArgs};

#[derive(Debug, Args)]
pub struct PreviewCommand {
    #[clap(flatten)]
    pub project: ProjectArgs,
    /// The port on 127.0.0.1 [default: the first free one from 3000; 0: any free port].
    #[arg(long)]
    pub port: Option<u16>,
    /// Do not open the browser (the URL is the first line on stdout).
    #[arg(long)]
    pub no_open: bool,
    /// Poll the files instead of waiting for file events (network drives, WSL mounts).
    #[arg(long)]
    pub poll: bool,
    /// Open a clicked figure's typed facts in this editor: a command whose arguments may
    /// hold {file}, {line} and {col} (e.g. `code -g {file}:{line}:{col}`).
    #[arg(long, value_name = "CMD", env = "BUDGETDOC_EDITOR")]
    pub editor: Option<String>,
    #[clap(flatten)]
    pub fonts: FontArgs,
    #[clap(flatten)]
    pub limits: TimeoutArgs,
}

pub fn run(c: PreviewCommand) -> ExitCode {
    let listener = match server::bind(c.port) {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "budgetdoc: error: cannot listen on 127.0.0.1: {e}\n  = hint: choose another port with --port N"
            );
            return ExitCode::from(2);
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    let url = format!("http://127.0.0.1:{port}/");
    println!("{url}");
    let _ = std::io::stdout().flush();
    let options = budgetdoc::BuildOptions {
        font_paths: c.fonts.font_path.clone(),
        catalogs: c.project.catalogs.files(),
        // Each build on its own: a template that loops shows as an error, and the fix
        // builds again.
        timeout: c.limits.limit(),
        ..budgetdoc::BuildOptions::default()
    };
    let project = c.project.project;
    let mut preview = Preview::new(&project, &options);
    preview
        .shared
        .set_explainer(budgetdoc::preview::state::Explainer::new(
            &project,
            &options.catalogs,
            c.editor.clone(),
        ));
    let shared = std::sync::Arc::clone(&preview.shared);
    let served = std::thread::Builder::new()
        .name("preview-server".into())
        .spawn(move || server::serve(listener, shared));
    if served.is_err() {
        eprintln!("budgetdoc: error: cannot start the preview server");
        return ExitCode::from(1);
    }
    let mut watcher = match super::watch::start_watching(c.poll, &project, &options) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let mut dependencies = preview.update();
    report(&preview);
    if !c.no_open
        && let Err(e) = opener::open_browser(&url)
    {
        eprintln!("budgetdoc: could not open a browser ({e}); open {url}");
    }
    loop {
        watcher.follow(&dependencies);
        // The caches are trimmed in the first quiet moment after a build, when the browser
        // has its new page images, or else before the next build: once per build, so memory
        // stays bounded however fast the edits come.
        let quiet = if preview.needs_trim() {
            budgetdoc::preview::TRIM_WHEN_IDLE
        } else {
            Duration::from_secs(3600)
        };
        let Some(change) = watcher.wait(quiet) else {
            if preview.needs_trim() {
                preview.trim();
            }
            continue;
        };
        if preview.needs_trim() {
            preview.trim();
        }
        if change.fonts {
            // New or changed fonts: load them again (a new session).
            preview =
                Preview::with_shared(&project, &options, std::sync::Arc::clone(&preview.shared));
        }
        dependencies = preview.update();
        report(&preview);
    }
}

/// One line on stderr per build: how it went.
fn report(preview: &Preview) {
    let s = preview.shared.lock();
    let pages = s.pages.len();
    match s.status {
        budgetdoc::preview::state::Status::Failed => eprintln!(
            "build failed in {} ms: {} error(s), {} warning(s); showing the last good pages",
            s.build_ms, s.errors, s.warnings
        ),
        _ => eprintln!(
            "built {pages} pages in {} ms; {} warning(s)",
            s.build_ms, s.warnings
        ),
    }
}
