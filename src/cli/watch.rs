//! `budgetdoc watch`: rebuilds the PDF on every change of what the build read, writing it
//! atomically after each good build (a failed build leaves the last good PDF in place), with
//! the diagnostics on the terminal. The PDF's ID stays the same across builds, so a viewer
//! that reloads it keeps its place.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;

use budgetdoc::preview::Rebuilder;
use budgetdoc::preview::watch::Watcher;

use super::{FontArgs, ProjectArgs, ReportArgs, TimeoutArgs, print};

#[derive(Debug, Args)]
pub struct WatchCommand {
    #[clap(flatten)]
    pub project: ProjectArgs,
    /// Output PDF [default: <PROJECT>/out/<name>.pdf].
    #[arg(short, long, value_name = "OUT.pdf")]
    pub output: Option<PathBuf>,
    /// Poll the files instead of waiting for file events (network drives, WSL mounts).
    #[arg(long)]
    pub poll: bool,
    #[clap(flatten)]
    pub fonts: FontArgs,
    #[clap(flatten)]
    pub limits: TimeoutArgs,
    /// The PDF creation date (Unix seconds) when the data has no `date:`.
    #[arg(long, env = "SOURCE_DATE_EPOCH", value_name = "SECONDS")]
    pub source_date_epoch: Option<i64>,
    #[clap(flatten)]
    pub report: ReportArgs,
}

pub fn run(w: WatchCommand) -> ExitCode {
    let options = budgetdoc::BuildOptions {
        output: w.output.clone(),
        font_paths: w.fonts.font_path.clone(),
        catalogs: w.project.catalogs.files(),
        source_date_epoch: w.source_date_epoch,
        // Each build on its own: a template that loops ends in an error, and the next edit
        // builds again.
        timeout: w.limits.limit(),
        ..budgetdoc::BuildOptions::default()
    };
    let project = w.project.project.clone();
    let guard = budgetdoc::output::Guard::new(&project, &options.font_paths, &options.catalogs);
    if let Some(o) = &options.output
        && let Err(d) = guard.admit(o)
    {
        print::diagnostics(&budgetdoc::diag::Diagnostics(vec![d]), &w.report);
        return ExitCode::from(2);
    }
    let mut rebuilder = Rebuilder::new(&project, &options);
    let mut watcher = match start_watching(w.poll, &project, &options) {
        Ok(watcher) => watcher,
        Err(code) => return code,
    };
    loop {
        let start = Instant::now();
        let rebuilt = rebuilder.rebuild();
        print::diagnostics(&rebuilt.diagnostics, &w.report);
        match &rebuilt.compiled {
            Some(compiled) => {
                let written = write(compiled, &options, &guard);
                match written {
                    Ok(path) => eprintln!(
                        "wrote {} ({} pages) in {} ms; {}",
                        path.display(),
                        compiled.document.pages().len(),
                        start.elapsed().as_millis(),
                        print::summary(&rebuilt.diagnostics)
                    ),
                    Err(d) => print::diagnostics(&d, &w.report),
                }
            }
            None => eprintln!(
                "build failed, the last good PDF is kept: {}",
                print::summary(&rebuilt.diagnostics)
            ),
        }
        rebuilder.trim();
        watcher.follow(&rebuilt.dependencies);
        let change = loop {
            if let Some(change) = watcher.wait(Duration::from_secs(3600)) {
                break change;
            }
        };
        if change.fonts {
            rebuilder = Rebuilder::new(&project, &options);
        }
    }
}

/// The watcher of `watch` and `preview`, already following what any build of `project`
/// reads: watching starts before the first build, so that an edit made while it runs is not
/// missed. A watcher that cannot start is reported (exit 1).
pub fn start_watching(
    poll: bool,
    project: &std::path::Path,
    options: &budgetdoc::BuildOptions,
) -> Result<Watcher, ExitCode> {
    let mut watcher = Watcher::new(poll, &options.font_paths).map_err(|e| {
        eprintln!("budgetdoc: error: {e}\n  = hint: try --poll");
        ExitCode::from(1)
    })?;
    watcher.follow(&budgetdoc::session::dependencies(project, options, None));
    Ok(watcher)
}

/// Writes the PDF of a good build where `build` would, checked by the output guard (never
/// onto a file the build reads).
fn write(
    compiled: &budgetdoc::Compiled,
    options: &budgetdoc::BuildOptions,
    guard: &budgetdoc::output::Guard,
) -> Result<PathBuf, budgetdoc::diag::Diagnostics> {
    let one = |d| budgetdoc::diag::Diagnostics(vec![d]);
    let guard = guard.clone().with_inputs(&compiled.checked.catalog_files);
    let target = match &options.output {
        Some(o) => o.clone(),
        None => budgetdoc::default_output(&compiled.checked.document),
    };
    let target = guard.admit(&target).map_err(one)?;
    let bytes = budgetdoc::pdf(compiled, options)?;
    budgetdoc::export::write_atomic(&target, &bytes).map_err(one)?;
    Ok(target)
}
