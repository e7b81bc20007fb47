//! `budgetdoc build`: load → validate → derive → render → export, under the command line's
//! deadline.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use budgetdoc::diag::Diagnostics;

use super::{FontArgs, ProjectsArgs, ReportArgs, batch, print};

/// Far above any document's build time (the examples take 0.1–0.5 s), short enough that a
/// template that loops for ever does not hold a CI job.
const DEFAULT_TIMEOUT_SECONDS: u64 = 60;

#[derive(Debug, Args)]
pub struct BuildCommand {
    #[clap(flatten)]
    pub project: ProjectsArgs,
    /// Output PDF of one project [default: <PROJECT>/out/<name>.pdf].
    #[arg(short, long, value_name = "OUT.pdf")]
    pub output: Option<PathBuf>,
    /// Write each project's PDF at DIR/<project path relative to its argument>.pdf.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Build in memory and compare with the PDFs on disk; write nothing; exit 1 when a PDF
    /// is missing or stale.
    #[arg(long)]
    pub verify: bool,
    /// Rebuild every project, even those whose inputs did not change (runs of several
    /// projects skip those).
    #[arg(long)]
    pub force: bool,
    /// Say why each project is rebuilt (which input changed).
    #[arg(long)]
    pub explain: bool,
    /// Also write the exact Typst sources, data and fonts that were compiled to this
    /// directory (`typst compile --ignore-system-fonts --font-path fonts main.typ` reproduces
    /// the document).
    #[arg(long, value_name = "DIR")]
    pub emit_source: Option<PathBuf>,
    /// Also write the document's tables as an xlsx workbook (one sheet per table, as
    /// printed: merged header, codes as text, amounts as numbers).
    #[arg(long, value_name = "OUT.xlsx")]
    pub xlsx: Option<PathBuf>,
    /// With --xlsx: write only the workbook (no typesetting, no PDF).
    #[arg(long, requires = "xlsx")]
    pub no_pdf: bool,
    #[clap(flatten)]
    pub fonts: FontArgs,
    /// Write a tagged (accessible) PDF; several times larger for table-heavy documents.
    #[arg(long)]
    pub tagged: bool,
    /// The PDF creation date (Unix seconds) when the data has no `date:`.
    #[arg(long, env = "SOURCE_DATE_EPOCH", value_name = "SECONDS")]
    pub source_date_epoch: Option<i64>,
    /// Stop with an error when the build takes longer than this; 0 for no limit.
    #[arg(
        long,
        value_name = "SECONDS",
        env = "BUDGETDOC_TIMEOUT",
        default_value_t = DEFAULT_TIMEOUT_SECONDS
    )]
    pub timeout: u64,
    #[clap(flatten)]
    pub report: ReportArgs,
}

pub fn run(b: BuildCommand) -> ExitCode {
    if batch::is_batch(
        &b.project,
        b.out_dir.is_some() || b.verify || b.force || b.explain,
    ) {
        return run_batch(b);
    }
    deadline(b.timeout);
    let project = b.project.paths[0].clone();
    let options = budgetdoc::BuildOptions {
        output: b.output,
        emit_source: b.emit_source,
        font_paths: b.fonts.font_path,
        tagged: b.tagged,
        source_date_epoch: b.source_date_epoch,
        deny_warnings: b.report.deny_warnings,
        deny_accepted: b.report.deny_accepted,
        // The deadline bounds the whole process (`deadline`): cheaper than compiling on a
        // thread of its own, and it covers every stage.
        timeout: None,
        catalogs: b.project.catalogs.catalogs.clone(),
        xlsx: b.xlsx,
        no_pdf: b.no_pdf,
    };
    match budgetdoc::build(&project, &options) {
        Ok(report) => {
            let warnings = report.warnings.sorted();
            print::diagnostics(&warnings, &b.report);
            print::step_summary(
                "build",
                &[result(&project, "built", Some(&report.output), &warnings)],
            );
            if options.no_pdf {
                eprintln!(
                    "wrote {} ({} bytes); {}",
                    report.output.display(),
                    report.bytes,
                    print::summary(&warnings)
                );
                return ExitCode::SUCCESS;
            }
            let book = report
                .workbook
                .as_ref()
                .map(|(p, n)| format!(" and {} ({n} bytes)", p.display()))
                .unwrap_or_default();
            eprintln!(
                "wrote {} ({} pages, {} bytes){book}; {}",
                report.output.display(),
                report.pages,
                report.bytes,
                print::summary(&warnings)
            );
            ExitCode::SUCCESS
        }
        Err(budgetdoc::BuildFailure::Usage(d)) => {
            print::diagnostics(&Diagnostics(vec![d]), &b.report);
            eprintln!("build refused, nothing written");
            ExitCode::from(2)
        }
        Err(budgetdoc::BuildFailure::Problems(diags)) => {
            let diags = diags.sorted();
            print::diagnostics(&diags, &b.report);
            print::step_summary("build", &[result(&project, "failed", None, &diags)]);
            let denied = if diags.has_errors() {
                String::new()
            } else {
                format!(" — {}", print::denied(&b.report))
            };
            eprintln!(
                "build failed, nothing written: {}{denied}",
                print::summary(&diags)
            );
            ExitCode::from(1)
        }
    }
}

/// One project's outcome for the step summary.
fn result(
    project: &std::path::Path,
    status: &str,
    output: Option<&std::path::Path>,
    diags: &Diagnostics,
) -> budgetdoc::report::ProjectResult {
    budgetdoc::report::ProjectResult {
        project: project.display().to_string(),
        status: status.to_string(),
        output: output.map(|o| o.display().to_string()),
        diagnostics: diags.clone(),
    }
}

/// Several projects: found under the paths, sharded, built on `--jobs` threads sharing one
/// font store, reported in input order; one failing project does not stop the others.
fn run_batch(b: BuildCommand) -> ExitCode {
    let usage = |message: &str, hint: &str| {
        print::diagnostics(
            &Diagnostics(vec![budgetdoc::diag::Diagnostic::error(message).hint(hint)]),
            &b.report,
        );
        ExitCode::from(2)
    };
    if b.output.is_some() {
        return usage(
            "`-o` names the PDF of one project",
            "use --out-dir DIR for several projects",
        );
    }
    if b.xlsx.is_some() {
        return usage(
            "`--xlsx` names the workbook of one project",
            "build each project's workbook on its own",
        );
    }
    if b.emit_source.is_some() {
        return usage(
            "`--emit-source` writes the sources of one project",
            "build that project alone",
        );
    }
    for dir in &b.fonts.font_path {
        if !dir.is_dir() {
            return usage(
                &format!("font directory `{}` does not exist", dir.display()),
                "give an existing directory to --font-path (or BUDGETDOC_FONT_PATHS)",
            );
        }
    }
    let targets = match batch::targets(&b.project, &b.report) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let options = budgetdoc::BuildOptions {
        font_paths: b.fonts.font_path.clone(),
        tagged: b.tagged,
        source_date_epoch: b.source_date_epoch,
        deny_warnings: b.report.deny_warnings,
        deny_accepted: b.report.deny_accepted,
        timeout: (b.timeout > 0).then(|| std::time::Duration::from_secs(b.timeout)),
        catalogs: b.project.catalogs.catalogs.clone(),
        ..budgetdoc::BuildOptions::default()
    };
    let output_of = |t: &budgetdoc::batch::Target| {
        b.out_dir
            .as_ref()
            .map(|d| budgetdoc::batch::output_in(d, t))
    };
    // Every output is checked before anything is built: never onto or among a project's
    // inputs.
    for t in &targets {
        if let Some(o) = output_of(t) {
            let (root, _) = budgetdoc::load::project_paths(&t.project);
            let abs =
                |p: &std::path::Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
            let inputs = ["templates", "targets", "evaluations"];
            if let Some(dir) = inputs
                .iter()
                .find(|d| abs(&o).starts_with(abs(&root.join(d))))
            {
                return usage(
                    &format!(
                        "`{}` would be written into `{}`, which project `{}` reads",
                        o.display(),
                        root.join(dir).display(),
                        t.project.display()
                    ),
                    "put --out-dir outside the projects' templates/, targets/ and evaluations/",
                );
            }
            let guard =
                budgetdoc::output::Guard::new(&t.project, &options.font_paths, &options.catalogs);
            if let Err(d) = guard.admit(&o) {
                print::diagnostics(&Diagnostics(vec![d]), &b.report);
                return ExitCode::from(2);
            }
        }
    }
    let fonts = budgetdoc::session::Session::new(&options).fonts();
    // Rebuild only what changed: the setup's key once, each project's record beside its PDF.
    let setup = (!b.verify && !b.force).then(|| budgetdoc::freshness::setup(&options));
    let planned = |t: &budgetdoc::batch::Target| {
        output_of(t).or_else(|| budgetdoc::planned_output(&t.project))
    };
    let shared_inputs: Vec<PathBuf> = options
        .font_paths
        .iter()
        .chain(&options.catalogs)
        .cloned()
        .collect();
    let mut failed = 0;
    let mut skipped = 0;
    let mut progress = batch::Progress::new(targets.len());
    let mut reporter = print::Reporter::new(&b.report, if b.verify { "verify" } else { "build" });
    let verb = if b.verify { "verify" } else { "build" };
    budgetdoc::batch::run(
        &targets,
        batch::jobs(&b.project),
        |t| {
            let opts = budgetdoc::BuildOptions {
                output: output_of(t),
                ..options.clone()
            };
            if b.verify {
                let verdict =
                    budgetdoc::verify_with_fonts(&t.project, &opts, std::sync::Arc::clone(&fonts));
                budgetdoc::session::trim_caches();
                return (None, Err(verdict));
            }
            let why = match (&setup, planned(t)) {
                (Some(setup), Some(pdf)) => match budgetdoc::freshness::check(&pdf, setup) {
                    budgetdoc::freshness::Freshness::UpToDate => return (None, Ok(None)),
                    budgetdoc::freshness::Freshness::Stale(why) => Some(why),
                },
                _ => Some("--force".to_string()),
            };
            let built =
                budgetdoc::build_with_fonts(&t.project, &opts, Some(std::sync::Arc::clone(&fonts)));
            budgetdoc::session::trim_caches();
            if let (Some(setup), Ok(report)) = (&setup, &built) {
                let inputs: Vec<PathBuf> = report
                    .dependencies
                    .iter()
                    .filter(|d| !shared_inputs.contains(d))
                    .cloned()
                    .collect();
                // A record that cannot be written only means a rebuild next time.
                let _ = budgetdoc::freshness::record(&report.output, setup, &inputs);
            }
            (why, Ok(Some(built)))
        },
        |_, t, (why, result)| {
            progress.clear();
            let name = t.project.display();
            if let (true, Some(why)) = (b.explain, &why) {
                eprintln!("rebuild {name}: {why}");
            }
            match result {
                Ok(None) => {
                    skipped += 1;
                    reporter.project(
                        &t.project,
                        "up to date",
                        planned(t).as_deref(),
                        Diagnostics::default(),
                    );
                    if b.explain {
                        eprintln!("up to date {name}");
                    }
                }
                Ok(Some(Ok(report))) => {
                    let warnings = report.warnings.sorted();
                    reporter.project(&t.project, "built", Some(&report.output), warnings.clone());
                    eprintln!(
                        "ok {name}: wrote {} ({} pages); {}",
                        report.output.display(),
                        report.pages,
                        print::summary(&warnings)
                    );
                }
                Ok(Some(Err(budgetdoc::BuildFailure::Usage(d)))) => {
                    failed += 1;
                    reporter.project(&t.project, "failed", None, Diagnostics(vec![d]));
                    eprintln!("FAILED {name}: refused, nothing written");
                }
                Ok(Some(Err(budgetdoc::BuildFailure::Problems(d)))) | Err(Err(d)) => {
                    failed += 1;
                    let d = d.sorted();
                    reporter.project(&t.project, "failed", None, d.clone());
                    eprintln!("FAILED {name}: {}", print::summary(&d));
                }
                Err(Ok(verdict)) => match verdict {
                    budgetdoc::Verdict::UpToDate(p) => {
                        reporter.project(
                            &t.project,
                            "up to date",
                            Some(&p),
                            Diagnostics::default(),
                        );
                        eprintln!("ok {name}: {} is up to date", p.display())
                    }
                    budgetdoc::Verdict::Missing(p) => {
                        failed += 1;
                        reporter.project(&t.project, "missing", Some(&p), Diagnostics::default());
                        eprintln!("MISSING {name}: {} does not exist", p.display());
                    }
                    budgetdoc::Verdict::Stale(p) => {
                        failed += 1;
                        reporter.project(&t.project, "stale", Some(&p), Diagnostics::default());
                        eprintln!(
                            "STALE {name}: {} differs from a build of the data",
                            p.display()
                        );
                    }
                },
            }
            progress.tick(&t.project);
        },
    );
    reporter.finish();
    if skipped > 0 {
        eprintln!("{skipped} project(s) up to date, not rebuilt (--force rebuilds them)");
    }
    batch::finish(verb, targets.len(), failed)
}

/// Ends the process with an error when a build takes longer than `seconds` (0: never). A
/// PDF is only renamed into place complete, so nothing half-written is left.
fn deadline(seconds: u64) {
    if seconds == 0 {
        return;
    }
    let watchdog = std::thread::Builder::new()
        .name("deadline".into())
        .spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(seconds));
            eprintln!(
                "budgetdoc: error: the build did not finish within {seconds} s; nothing was written\n  = hint: a template override may loop for ever; fix it, or raise the limit with --timeout SECONDS (env BUDGETDOC_TIMEOUT)"
            );
            std::process::exit(1);
        });
    // Without a watchdog thread the build simply runs unbounded.
    drop(watchdog);
}
