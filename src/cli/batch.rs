//! What `build` and `check` share when they run several projects: the projects found under
//! the paths (sharded), the number of threads, the usage errors that stop a run before
//! anything is built, and the summary line.

use std::process::ExitCode;

use budgetdoc::batch::{self, Target};
use budgetdoc::diag::{Diagnostic, Diagnostics};

use super::{ProjectsArgs, ReportArgs, print};

/// Whether the arguments ask for a run of several projects rather than one project's
/// classic build: several paths, a directory that is not a project, or a batch option.
pub fn is_batch(p: &ProjectsArgs, extra: bool) -> bool {
    extra
        || p.paths.len() > 1
        || p.shard.is_some()
        || p.paths
            .first()
            .is_some_and(|p| p.is_dir() && !p.join(budgetdoc::load::PROJECT_FILE).is_file())
}

/// The projects of the run (after `--shard`), or the usage error (exit 2).
pub fn targets(p: &ProjectsArgs, report: &ReportArgs) -> Result<Vec<Target>, ExitCode> {
    let all = discovered(p, report)?;
    shard(p, all, report)
}

/// Every project under the paths, before `--shard` (what must hold across all shards is
/// checked on these), or the usage error (exit 2).
pub fn discovered(p: &ProjectsArgs, report: &ReportArgs) -> Result<Vec<Target>, ExitCode> {
    batch::discover(&p.paths).map_err(|d| usage(d, report))
}

/// The projects of `--shard` among `all`, or the usage error (exit 2).
pub fn shard(
    p: &ProjectsArgs,
    mut all: Vec<Target>,
    report: &ReportArgs,
) -> Result<Vec<Target>, ExitCode> {
    if let Some(s) = &p.shard {
        let shard = batch::parse_shard(s).map_err(|m| usage(Diagnostic::error(m), report))?;
        all.retain(|t| batch::in_shard(t, shard));
    }
    Ok(all)
}

fn usage(d: Diagnostic, report: &ReportArgs) -> ExitCode {
    print::diagnostics(&Diagnostics(vec![d]), report);
    ExitCode::from(2)
}

/// Threads for the run: `--jobs`, else the number of cores.
pub fn jobs(p: &ProjectsArgs) -> usize {
    p.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    })
}

/// The last line of a run, and its exit code: 1 when any project failed.
pub fn finish(verb: &str, total: usize, failed: usize) -> ExitCode {
    eprintln!(
        "{verb}: {} of {total} project(s) ok, {failed} failed",
        total - failed
    );
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Progress of a run on a terminal: one line, rewritten after each project (done/total,
/// the project, elapsed and remaining time). In a log (not a terminal) nothing: every
/// project already has its line.
pub struct Progress {
    total: usize,
    done: usize,
    start: std::time::Instant,
    on_terminal: bool,
}

impl Progress {
    pub fn new(total: usize) -> Self {
        use std::io::IsTerminal;
        Self {
            total,
            done: 0,
            start: std::time::Instant::now(),
            on_terminal: std::io::stderr().is_terminal() && total > 1,
        }
    }

    /// Clears the bar before a project's lines are printed.
    pub fn clear(&self) {
        if self.on_terminal {
            eprint!("\r\x1b[2K");
        }
    }

    /// One more project done: draws the bar.
    pub fn tick(&mut self, project: &std::path::Path) {
        self.done += 1;
        if !self.on_terminal {
            return;
        }
        let elapsed = self.start.elapsed().as_millis();
        let left = elapsed * (self.total - self.done) as u128 / self.done.max(1) as u128;
        const WIDTH: usize = 24;
        let filled = WIDTH * self.done / self.total.max(1);
        eprint!(
            "\r\x1b[2K[{}{}] {}/{} {} · {} s elapsed · ~{} s left",
            "=".repeat(filled),
            " ".repeat(WIDTH - filled),
            self.done,
            self.total,
            project.display(),
            elapsed / 1000,
            left.div_ceil(1000)
        );
        if self.done == self.total {
            eprintln!();
        }
    }
}
